import { describe, expect, it } from 'vitest'
import { canonicalJson } from './canonical-json.js'

describe('canonicalJson', () => {
  it('gives the same text for objects whose keys come in another order, at any depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: 3 } })).toBe(
      canonicalJson({ a: { c: 3, d: [2, { x: 0, y: 1 }] }, b: 1 }),
    )
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}')
  })

  it('tells different values apart and keeps array order', () => {
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }))
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]))
  })

  it('writes undefined as null, as JSON has no undefined', () => {
    expect(canonicalJson(undefined)).toBe('null')
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}')
  })
})
