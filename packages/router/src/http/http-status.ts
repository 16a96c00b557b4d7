import type { ErrorCode } from '@faust/protocol'

/**
 * The HTTP status each error code is answered with. It belongs to the HTTP
 * edge: the relay and its {@link RouterError} know codes, not transports
 * (a worker's socket is told with a close code instead).
 */
const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  MALFORMED_JSON: 400,
  PACKET_INVALID: 400,
  PACKET_NOT_ALLOWED: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOT_AUTHORIZED: 401,
  AGENT_UNKNOWN: 403,
  BACKEND_UNAVAILABLE: 503,
  TIMEOUT: 504,
  BACKLOG_FULL: 503,
  NOT_FOUND: 404,
  SHUTTING_DOWN: 503,
  INTERNAL: 500,
  ALREADY_SUBMITTED: 409,
  UPLOAD_TIMEOUT: 408,
  TOO_MANY_UPLOADS: 503,
  ORIGIN_NOT_ALLOWED: 403,
  JSON_LIMIT_EXCEEDED: 400,
  JSON_NOT_ENCODABLE: 400,
  AGENT_NOT_YET_KNOWN: 503,
  STORE_FAILED: 503,
}

/** The HTTP status an error with `code` is answered with. */
export function httpStatusOf(code: ErrorCode): number {
  return STATUS_BY_CODE[code]
}

/** Seconds a retryable (503, 504) answer tells the client to wait, by default. */
export const DEFAULT_RETRY_AFTER_SECONDS = 2

/**
 * The `Retry-After` seconds of a retryable answer: 1 for an agent the router
 * does not know yet (the backend re-announces within moments of attaching).
 */
export function retryAfterOf(code: ErrorCode): number {
  return code === 'AGENT_NOT_YET_KNOWN' ? 1 : DEFAULT_RETRY_AFTER_SECONDS
}
