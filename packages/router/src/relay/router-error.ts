import type { ErrorCode, WireError } from '@faust/protocol'

/**
 * The router's one error class: a closed {@link ErrorCode} and a safe
 * message. It names no transport: the HTTP edge maps the code to a status
 * (http/http-status.ts), the socket side to a close code.
 */
export class RouterError extends Error {
  override readonly name = 'RouterError'
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }

  /** The JSON body sent to the caller; never a stack or a cause. */
  toWire(): WireError {
    return { error: { code: this.code, message: this.message } }
  }
}
