// The backend's integration harness: a real router on a free port, a real
// SQLite store in a temporary folder and `runTask` on the router's fake
// clock; a logger tests can await; spies that hold or follow a method call.

export { WAIT_MS } from './wait-limit.js'
export { EventLogger } from './event-logger.js'
export type { LogLine } from './event-logger.js'
export { afterCall, hold, nextCall } from './call-spies.js'
export type { HeldCall } from './call-spies.js'
export { openHarness, statusPushed, taskOptions } from './backend-harness.js'
export type { AgentDetails, Harness, RunSession } from './backend-harness.js'
