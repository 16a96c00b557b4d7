/** Every code the console's HTTP API answers with (docs/errors.md, "Console"). */
export const ConsoleErrorCode = {
  /** No session cookie (or an unknown one): open the printed link. */
  CONSOLE_AUTH_REQUIRED: 'CONSOLE_AUTH_REQUIRED',
  /** The `?token=` of the link is not this console's. */
  CONSOLE_BAD_TOKEN: 'CONSOLE_BAD_TOKEN',
  /** A POST without the session's `X-Faust-Csrf` header. */
  CONSOLE_CSRF: 'CONSOLE_CSRF',
  /** A POST whose `Origin` is not the console's own. */
  CONSOLE_ORIGIN: 'CONSOLE_ORIGIN',
  /** A `Host` header that is not the console's bound address (DNS rebinding). */
  CONSOLE_HOST: 'CONSOLE_HOST',
  /** A body that is not JSON of the expected shape, or a bad query. */
  CONSOLE_BAD_REQUEST: 'CONSOLE_BAD_REQUEST',
  /** A body above the console's limit (64 KiB). */
  CONSOLE_BODY_TOO_LARGE: 'CONSOLE_BODY_TOO_LARGE',
  /** No such run, agent, file or route. */
  CONSOLE_NOT_FOUND: 'CONSOLE_NOT_FOUND',
  /** Anything else: logged, never shown in detail. */
  CONSOLE_INTERNAL: 'CONSOLE_INTERNAL',
} as const

/** One of the {@link ConsoleErrorCode} strings. */
export type ConsoleErrorCode = (typeof ConsoleErrorCode)[keyof typeof ConsoleErrorCode]

/** An answer the console refuses a request with: `{ error: { code, message } }`. */
export class ConsoleHttpError extends Error {
  readonly statusCode: number
  readonly code: string

  constructor(statusCode: number, code: string, message: string) {
    super(message)
    this.name = 'ConsoleHttpError'
    this.statusCode = statusCode
    this.code = code
  }
}
