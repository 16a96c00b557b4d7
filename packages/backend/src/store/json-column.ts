import { encodeJson as encodeJsonSafely } from '@faust/protocol'
import { JsonColumnError } from './json-column-error.js'

/** A JSON document stored in a TEXT column. */
export type JsonText = string

/**
 * Serialises `value` for a JSON column; `undefined` is stored as `null` so the
 * column stays valid JSON.
 *
 * @throws {JsonColumnError} when the value cannot be serialised.
 */
export function encodeJson(value: unknown): JsonText {
  if (value === undefined) return 'null'
  const encoded = encodeJsonSafely(value)
  if (!encoded.ok) throw new JsonColumnError(encoded.error.message)
  return encoded.value
}

/** Parses a JSON column back into a value. */
export function decodeJson(text: JsonText): unknown {
  return JSON.parse(text) as unknown
}

/** Parses a nullable JSON column, keeping SQL NULL as `null`. */
export function decodeNullableJson(text: JsonText | null): unknown {
  return text === null ? null : decodeJson(text)
}
