// The Faust router: a drop-in for Mephisto's, event-driven, authenticated, bounded.

export { createRouter } from './create-router.js'
export type { Router } from './create-router.js'
export { resolveRouterOptions } from './router-options.js'
export type { RouterOptions, ResolvedRouterOptions } from './router-options.js'
export { ROUTER_DEFAULTS } from './router-defaults.js'
export type { RouterDefaults } from './router-defaults.js'
export { Relay } from './relay/relay.js'
export type { RelayOptions, RelayStats, HttpSubmission } from './relay/relay.js'
export type { Connection, AgentConnection } from './relay/connection.js'
export { RouterError } from './relay/router-error.js'
export { RouterObservers } from './relay/router-observers.js'
export type {
  AgentDisconnectReason,
  RelayDirection,
  RouterObserver,
} from './relay/router-observers.js'
export { BACKEND_AUTH_MODES } from './auth/loopback-backend.js'
export type { BackendAuth } from './auth/loopback-backend.js'
