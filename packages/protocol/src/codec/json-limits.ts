import { ErrorCode } from '../codes/error-code.js'
import { err, ok, type Result } from '../result.js'
import type { ProtocolError } from './protocol-error.js'

/**
 * Bounds on the shape of a parsed JSON value. Size limits on the text alone
 * do not make a value safe: 20 KB of `[[[[…]]]]` is 10,000 levels deep, which
 * `JSON.parse` takes but `JSON.stringify` (on the way to the other peer) and
 * any recursive consumer overflow the stack on.
 */
export interface JsonLimits {
  /** Deepest nesting of objects and arrays; a top-level object is depth 1. */
  readonly maxDepth: number
  /** Most keys in one object. */
  readonly maxKeys: number
  /** Most values in total: every object, array, string, number, boolean and null. */
  readonly maxNodes: number
  /** Longest string, and longest key, in UTF-16 code units. */
  readonly maxStringLength: number
}

/** The defaults; routers lower `maxStringLength` to their body limit. */
export const DEFAULT_JSON_LIMITS: JsonLimits = {
  maxDepth: 64,
  maxKeys: 10_000,
  maxNodes: 1_000_000,
  maxStringLength: 5 * 1024 * 1024,
}

function exceeded(message: string): Result<never, ProtocolError> {
  return err({ code: ErrorCode.JSON_LIMIT_EXCEEDED, message })
}

/**
 * Checks `value` against `limits` with an explicit stack instead of
 * recursion, so that a value of any depth is refused rather than overflowing
 * the checker's own stack. Stops at the first limit crossed.
 */
export function checkJsonLimits(value: unknown, limits: JsonLimits): Result<void, ProtocolError> {
  const values: unknown[] = [value]
  const depths: number[] = [1]
  let nodes = 0
  while (values.length > 0) {
    const current = values.pop()
    const depth = depths.pop() ?? 1
    nodes += 1
    if (nodes > limits.maxNodes) {
      return exceeded(`the JSON holds more than ${String(limits.maxNodes)} values`)
    }
    if (typeof current === 'string') {
      if (current.length > limits.maxStringLength) return tooLongString(limits)
      continue
    }
    if (typeof current !== 'object' || current === null) continue
    if (depth > limits.maxDepth) {
      return exceeded(`the JSON is nested deeper than ${String(limits.maxDepth)} levels`)
    }
    if (Array.isArray(current)) {
      for (const item of current as unknown[]) {
        values.push(item)
        depths.push(depth + 1)
      }
      continue
    }
    const keys = Object.keys(current)
    if (keys.length > limits.maxKeys) {
      return exceeded(`an object in the JSON has more than ${String(limits.maxKeys)} keys`)
    }
    for (const key of keys) {
      if (key.length > limits.maxStringLength) return tooLongString(limits)
      values.push((current as Record<string, unknown>)[key])
      depths.push(depth + 1)
    }
  }
  return ok(undefined)
}

function tooLongString(limits: JsonLimits): Result<never, ProtocolError> {
  return exceeded(
    `a string in the JSON is longer than ${String(limits.maxStringLength)} characters`,
  )
}
