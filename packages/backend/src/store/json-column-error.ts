import { ErrorCode } from '@faust/protocol'

/**
 * A value meant for a JSON column could not be serialised (nested too deeply
 * for `JSON.stringify`, a cycle, a BigInt). Raised instead of the bare
 * RangeError or TypeError so that whoever handles the failed write (the
 * packet handlers log and carry on) sees a stable code and the column.
 */
export class JsonColumnError extends Error {
  override readonly name = 'JsonColumnError'
  readonly code = ErrorCode.JSON_NOT_ENCODABLE

  constructor(message: string) {
    super(message)
  }
}
