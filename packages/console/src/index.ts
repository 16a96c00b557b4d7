// @faust/console: the operator's web console (docs/console.md). A Fastify
// server over a run's store, with an injected set of operator actions.

export { createConsoleServer, MAX_BODY_BYTES } from './server/console-server.js'
export type { ConsoleServer, ConsoleServerOptions } from './server/console-server.js'
export { ConsoleErrorCode } from './server/console-error.js'
export type {
  ConsoleActions,
  WorkerActionResult,
  RunChange,
  RunChangeResult,
  RunSettings,
  RunSettingName,
} from './console-actions.js'
export type { LiveRuns } from './model/runs-model.js'
