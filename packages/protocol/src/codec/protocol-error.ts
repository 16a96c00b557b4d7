import type { ErrorCode } from '../codes/error-code.js'

/** Why a frame or body was refused at the edge. */
export interface ProtocolError {
  readonly code: Extract<
    ErrorCode,
    | 'MALFORMED_JSON'
    | 'PACKET_INVALID'
    | 'PACKET_NOT_ALLOWED'
    | 'JSON_LIMIT_EXCEEDED'
    | 'JSON_NOT_ENCODABLE'
  >
  /** A one-line, human-readable reason, safe to send to the peer. */
  readonly message: string
}
