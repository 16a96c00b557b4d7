/** The slice of a pino logger the router uses; any pino `Logger` fits. */
export interface RelayLogger {
  debug(details: object, message: string): void
  info(details: object, message: string): void
  warn(details: object, message: string): void
  error(details: object, message: string): void
}
