import { describe, expect, it } from 'vitest'
import {
  DEFAULT_JSON_LIMITS,
  ErrorCode,
  checkJsonLimits,
  encodeJson,
  parseLimitedJson,
  parsePacket,
} from '../index.js'

const limits = { maxDepth: 3, maxKeys: 2, maxNodes: 10, maxStringLength: 5 }

function deepArrays(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`
}

describe('checkJsonLimits', () => {
  it('accepts a value exactly at every limit', () => {
    expect(checkJsonLimits({ a: [['12345']], b: 1 }, limits).ok).toBe(true)
  })

  it.each([
    ['too deep', { a: [[[]]] }, /nested deeper than 3/],
    ['too many keys', { a: 1, b: 2, c: 3 }, /more than 2 keys/],
    ['too many values', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], /more than 10 values/],
    ['too long a string', ['123456'], /longer than 5/],
    ['too long a key', { '123456': 1 }, /longer than 5/],
  ])('refuses a value %s', (_name, value, message) => {
    const result = checkJsonLimits(value, limits)
    expect(result.ok || result.error.code).toBe(ErrorCode.JSON_LIMIT_EXCEEDED)
    expect(result.ok || result.error.message).toMatch(message)
  })

  it('walks a 1,000,000-level value without overflowing its own stack', () => {
    const parsed = JSON.parse(deepArrays(1_000_000)) as unknown
    const result = checkJsonLimits(parsed, DEFAULT_JSON_LIMITS)
    expect(result.ok || result.error.message).toMatch(/nested deeper than 64/)
  })

  it('counts __proto__ and constructor as plain keys and leaves prototypes alone', () => {
    const parsed = parseLimitedJson(
      '{"__proto__":{"polluted":1},"constructor":{"x":1}}',
      DEFAULT_JSON_LIMITS,
    )
    expect(parsed.ok).toBe(true)
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  })
})

describe('parsePacket with limits', () => {
  it('refuses the 10,000-level live update that once ended the router', () => {
    const text = `{"packet_type":"mephisto_bound_live_update","subject_id":"a","data":{"x":${deepArrays(10_000)}}}`
    const result = parsePacket(text)
    expect(result.ok || result.error.code).toBe(ErrorCode.JSON_LIMIT_EXCEEDED)
  })
})

describe('encodeJson', () => {
  it('encodes plain values', () => {
    expect(encodeJson({ a: [1] })).toEqual({ ok: true, value: '{"a":[1]}' })
  })

  it('returns JSON_NOT_ENCODABLE instead of throwing on a value too deep for JSON.stringify', () => {
    const parsed = JSON.parse(deepArrays(200_000)) as unknown
    const result = encodeJson(parsed)
    expect(result.ok || result.error.code).toBe(ErrorCode.JSON_NOT_ENCODABLE)
  })

  it('returns JSON_NOT_ENCODABLE for a cycle and for undefined', () => {
    const cycle: Record<string, unknown> = {}
    cycle['self'] = cycle
    expect(encodeJson(cycle).ok).toBe(false)
    expect(encodeJson(undefined).ok).toBe(false)
  })
})
