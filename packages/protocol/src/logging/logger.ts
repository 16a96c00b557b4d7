/**
 * The slice of a pino logger Faust's servers use: a details object first,
 * then the message. Any pino `Logger` fits, and so does a test's recorder.
 */
export interface Logger {
  debug(details: object, message: string): void
  info(details: object, message: string): void
  warn(details: object, message: string): void
  error(details: object, message: string): void
}

/** A logger that drops everything (for tests and embedding). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
}
