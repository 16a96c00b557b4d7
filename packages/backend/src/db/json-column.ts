/** A JSON document stored in a TEXT column. */
export type JsonText = string

/** Serialises `value` for a JSON column; `undefined` is stored as `null` so the column stays valid JSON. */
export function encodeJson(value: unknown): JsonText {
  return JSON.stringify(value) ?? 'null'
}

/** Parses a JSON column back into a value. */
export function decodeJson(text: JsonText): unknown {
  return JSON.parse(text) as unknown
}

/** Parses a nullable JSON column, keeping SQL NULL as `null`. */
export function decodeNullableJson(text: JsonText | null): unknown {
  return text === null ? null : decodeJson(text)
}
