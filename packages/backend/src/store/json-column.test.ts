import { describe, expect, it } from 'vitest'
import { ErrorCode } from '@faust/protocol'
import { JsonColumnError } from './json-column-error.js'
import { decodeJson, encodeJson } from './json-column.js'

function nested(depth: number): unknown {
  let value: unknown = []
  for (let level = 1; level < depth; level += 1) value = [value]
  return value
}

describe('JSON columns', () => {
  it('round-trips a value and stores undefined as null', () => {
    expect(decodeJson(encodeJson({ a: [1, 'x', null] }))).toEqual({ a: [1, 'x', null] })
    expect(encodeJson(undefined)).toBe('null')
  })

  it('raises a coded JsonColumnError, not a RangeError, for a value too deep to serialise', () => {
    const deep = nested(200_000)
    expect(() => encodeJson(deep)).toThrow(JsonColumnError)
    expect(() => encodeJson(deep)).toThrow(
      expect.objectContaining({ code: ErrorCode.JSON_NOT_ENCODABLE }),
    )
  })

  it('raises a JsonColumnError for a cycle', () => {
    const cycle: Record<string, unknown> = {}
    cycle['self'] = cycle
    expect(() => encodeJson(cycle)).toThrow(JsonColumnError)
  })
})
