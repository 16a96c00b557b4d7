/**
 * Faust's closed set of error codes. They appear in JSON error bodies
 * (`{ "error": { "code", "message" } }`) and in logs; every one is described
 * in `docs/errors.md`.
 */
export const ErrorCode = {
  /** The body or frame is not valid JSON. */
  MALFORMED_JSON: 'MALFORMED_JSON',
  /** The body or packet is JSON but does not match the protocol schema. */
  PACKET_INVALID: 'PACKET_INVALID',
  /** The packet type is unknown, or not one this peer may send. */
  PACKET_NOT_ALLOWED: 'PACKET_NOT_ALLOWED',
  /** A body, frame, upload or file count is over its configured limit. */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The content type of a request is not accepted on that route. */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  /** The caller did not present the backend secret, or presented a wrong one. */
  NOT_AUTHORIZED: 'NOT_AUTHORIZED',
  /** The agent id was never issued by the backend. */
  AGENT_UNKNOWN: 'AGENT_UNKNOWN',
  /** No backend is attached to the router. */
  BACKEND_UNAVAILABLE: 'BACKEND_UNAVAILABLE',
  /** The backend did not answer in time. */
  TIMEOUT: 'TIMEOUT',
  /** Too many packets are waiting for the backend; nothing more is accepted until it drains. */
  BACKLOG_FULL: 'BACKLOG_FULL',
  /** The requested resource does not exist. */
  NOT_FOUND: 'NOT_FOUND',
  /** The server is shutting down. */
  SHUTTING_DOWN: 'SHUTTING_DOWN',
  /** Anything else: a bug. Details go to the log, never over the wire. */
  INTERNAL: 'INTERNAL',
  /** The agent already handed in different final data; a retry must send the same data. */
  ALREADY_SUBMITTED: 'ALREADY_SUBMITTED',
  /** An upload sent nothing for the idle timeout, or ran past the total timeout; its partial files are removed. */
  UPLOAD_TIMEOUT: 'UPLOAD_TIMEOUT',
  /** Too many uploads are being received at once; retry after the `Retry-After` seconds. */
  TOO_MANY_UPLOADS: 'TOO_MANY_UPLOADS',
  /** A browser opened a worker socket from a page of another origin. */
  ORIGIN_NOT_ALLOWED: 'ORIGIN_NOT_ALLOWED',
  /** The JSON is deeper, wider, larger or holds longer strings than the configured limits. */
  JSON_LIMIT_EXCEEDED: 'JSON_LIMIT_EXCEEDED',
  /** A packet could not be turned back into JSON text (too deep, a cycle); it was dropped. */
  JSON_NOT_ENCODABLE: 'JSON_NOT_ENCODABLE',
  /**
   * The router does not know this agent id *yet*: no backend has re-announced
   * its agents since the router started. Retry after `Retry-After`.
   */
  AGENT_NOT_YET_KNOWN: 'AGENT_NOT_YET_KNOWN',
  /** The backend could not store the submission (disk full, read-only, I/O error); retry later. */
  STORE_FAILED: 'STORE_FAILED',
} as const

/** One of the {@link ErrorCode} strings. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

/** The JSON shape of every Faust error response. */
export interface WireError {
  readonly error: { readonly code: ErrorCode; readonly message: string }
}

/**
 * WebSocket close codes. 1001/1009 are the standard "going away" and
 * "message too big"; Faust's own codes are in the 4000-4999 range.
 */
export const CloseCode = {
  /** The router is shutting down. */
  GOING_AWAY: 1001,
  /** A frame was larger than the configured limit. */
  MESSAGE_TOO_BIG: 1009,
  /** A frame was not valid JSON or did not match the protocol schema. */
  INVALID_PACKET: 4400,
  /** The socket tried something only the authenticated backend may do. */
  NOT_AUTHORIZED: 4401,
  /** The packet named an agent other than the one this socket speaks for. */
  SUBJECT_MISMATCH: 4403,
  /** The agent id was never issued by the backend. */
  AGENT_UNKNOWN: 4404,
  /** Another authenticated backend socket took over. */
  BACKEND_REPLACED: 4409,
  /** A newer socket (another tab, a reload) claimed this agent; this one must not reconnect. */
  REPLACED_BY_NEWER_SOCKET: 4410,
  /** The socket did not identify itself (`alive`) within the router's identify timeout. */
  IDENTIFY_TIMEOUT: 4408,
  /** The router does not know this agent id yet (it restarted); reconnect shortly. */
  AGENT_NOT_YET_KNOWN: 4503,
} as const

/** One of the {@link CloseCode} numbers. */
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]
