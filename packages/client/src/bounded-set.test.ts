import { describe, expect, it } from 'vitest'
import { BoundedSet } from './bounded-set.js'
import { randomUuid } from './random-uuid.js'

describe('BoundedSet', () => {
  it('forgets the oldest value beyond its size', () => {
    const set = new BoundedSet<string>(2)
    set.add('a')
    set.add('b')
    set.add('c')
    expect([set.has('a'), set.has('b'), set.has('c'), set.size]).toEqual([false, true, true, 2])
  })
})

describe('randomUuid', () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

  it('is a v4 UUID, also without crypto.randomUUID (insecure contexts)', () => {
    expect(randomUuid()).toMatch(UUID)
    const original = Object.getOwnPropertyDescriptor(globalThis, 'crypto')
    const real = globalThis.crypto
    Object.defineProperty(globalThis, 'crypto', {
      value: { getRandomValues: (array: Uint8Array) => real.getRandomValues(array) },
      configurable: true,
    })
    try {
      const ids = new Set(Array.from({ length: 100 }, randomUuid))
      expect(ids.size).toBe(100)
      for (const id of ids) expect(id).toMatch(UUID)
    } finally {
      if (original !== undefined) Object.defineProperty(globalThis, 'crypto', original)
    }
  })
})
