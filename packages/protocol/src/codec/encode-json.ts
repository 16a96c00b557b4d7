import { ErrorCode } from '../codes/error-code.js'
import { err, ok, type Result } from '../result.js'
import type { ProtocolError } from './protocol-error.js'

/**
 * `JSON.stringify` that never throws. It throws a RangeError on a value
 * nested deeper than its stack allows and a TypeError on a cycle or a BigInt;
 * on the router or the backend such a throw in a send path ended the whole
 * process, so every outgoing packet goes through here and a failure is the
 * caller's to report to the one peer concerned.
 */
export function encodeJson(value: unknown): Result<string, ProtocolError> {
  let text: string | undefined
  try {
    text = JSON.stringify(value)
  } catch (error) {
    const reason = error instanceof RangeError ? 'it is nested too deeply' : 'it is not plain JSON'
    return err({
      code: ErrorCode.JSON_NOT_ENCODABLE,
      message: `could not encode the JSON: ${reason}`,
    })
  }
  if (text === undefined) {
    return err({
      code: ErrorCode.JSON_NOT_ENCODABLE,
      message: 'could not encode the JSON: no value',
    })
  }
  return ok(text)
}
