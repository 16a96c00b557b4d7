import type { ErrorCode } from '@faust/protocol/constants'

/**
 * What went wrong: a Faust router's own {@link ErrorCode} (from its JSON error
 * body) or one of the client's codes.
 */
export type ClientErrorCode =
  | ErrorCode
  /** The server could not be reached (`fetch` failed). */
  | 'NETWORK'
  /** The server answered an error status without a Faust error body. */
  | 'HTTP'
  /** The server answered something that is not the expected JSON. */
  | 'BAD_RESPONSE'
  /** The operation was cancelled by `stop()`. */
  | 'ABORTED'
  /** The call needs an agent id and the worker is not registered. */
  | 'NOT_REGISTERED'
  /** The provider script (`wrap_crowd_source.js`) lacks a function or it threw. */
  | 'PROVIDER'
  /** The live connection ended or the agent left the task. */
  | 'DISCONNECTED'
  /** A remote procedure answered with an error. */
  | 'REMOTE'

/** Options of {@link ClientError}. */
export interface ClientErrorOptions {
  /** The HTTP status, when the error is an HTTP answer. */
  readonly status?: number
  /** Whether trying again may succeed (network errors, timeouts, 5xx). @default false */
  readonly retryable?: boolean
  /** The error code a remote procedure answered with. */
  readonly remoteCode?: string
  /** The server's `Retry-After`, in milliseconds. */
  readonly retryAfterMs?: number | null
  readonly cause?: unknown
}

/** The one error class of `@faust/client`, with a closed {@link ClientErrorCode}. */
export class ClientError extends Error {
  override readonly name = 'ClientError'
  /** What went wrong. */
  readonly code: ClientErrorCode
  /** The HTTP status, or null. */
  readonly status: number | null
  /** Whether trying again may succeed. */
  readonly retryable: boolean
  /** The code of a remote procedure's error answer, or null. */
  readonly remoteCode: string | null
  /**
   * True for `DISCONNECTED`: with {@link reason}, the shape `mephisto-task`
   * rejects remote procedures with (`{ disconnected: true, reason }`).
   */
  readonly disconnected: boolean
  /** The message: for `DISCONNECTED`, the text to show the worker. */
  readonly reason: string
  /** How long the server asked to wait before trying again (`Retry-After`), or null. */
  readonly retryAfterMs: number | null

  constructor(code: ClientErrorCode, message: string, options: ClientErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.status = options.status ?? null
    this.retryable = options.retryable ?? false
    this.remoteCode = options.remoteCode ?? null
    this.disconnected = code === 'DISCONNECTED'
    this.reason = message
    this.retryAfterMs = options.retryAfterMs ?? null
  }
}

/** Converts anything caught into a {@link ClientError} (`BAD_RESPONSE` with the cause). */
export function toClientError(error: unknown): ClientError {
  if (error instanceof ClientError) return error
  const message = error instanceof Error ? error.message : String(error)
  return new ClientError('BAD_RESPONSE', message, { cause: error })
}
