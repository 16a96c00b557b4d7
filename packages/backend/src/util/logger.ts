import type { Logger } from '@faust/protocol'

// One logger interface for every Faust server (@faust/protocol's `Logger`);
// the backend's name for it stays for task authors who pass their own.

/** The slice of a pino logger the backend uses; any pino `Logger` fits. */
export type BackendLogger = Logger

export { silentLogger } from '@faust/protocol'
