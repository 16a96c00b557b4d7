import type { ErrorCode, WireError } from '@faust/protocol'

/** HTTP status for every error code the router can answer with. */
const STATUS_BY_CODE: Record<ErrorCode, number> = {
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
}

/** The router's one error class: a closed {@link ErrorCode} and a safe message. */
export class RouterError extends Error {
  override readonly name = 'RouterError'
  readonly code: ErrorCode
  readonly statusCode: number

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    this.statusCode = STATUS_BY_CODE[code]
  }

  /** The JSON body sent to the caller; never a stack or a cause. */
  toWire(): WireError {
    return { error: { code: this.code, message: this.message } }
  }
}
