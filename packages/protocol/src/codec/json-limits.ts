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

/**
 * Levels a packet adds around a value a worker sent: the packet, its `data`,
 * and keys such as `provider_data`, or `init_task_data.past_live_updates[i]`
 * when the backend hands a worker's updates back. A peer that passes workers'
 * values on allows this much more depth than the workers' own limit, so a value
 * accepted from a worker is never refused one hop later.
 */
export const PACKET_ENVELOPE_DEPTH = 8

/**
 * Limits between the router and the backend. Each trusts the other's policy
 * on workers' values; only depth is checked, so that nothing deep enough to
 * overflow `JSON.stringify` (about 10,000 levels) gets through. Keys and values
 * are bounded by the frame size, strings as well.
 */
export const PEER_JSON_LIMITS: JsonLimits = {
  maxDepth: 1024,
  maxKeys: Number.MAX_SAFE_INTEGER,
  maxNodes: Number.MAX_SAFE_INTEGER,
  maxStringLength: 64 * 1024 * 1024,
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
