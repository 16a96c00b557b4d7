/** The slice of a pino logger the backend uses; any pino `Logger` fits. */
export interface BackendLogger {
  debug(details: object, message: string): void
  info(details: object, message: string): void
  warn(details: object, message: string): void
  error(details: object, message: string): void
}

/** A logger that drops everything (for tests and embedding). */
export const silentLogger: BackendLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
}
