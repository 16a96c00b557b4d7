import { describe, expect, it } from 'vitest'
import { RANDOM_ID_BYTES, randomId } from './random-id.js'

describe('randomId', () => {
  it('is 128 bits of lowercase hex, so never mistaken for an onboarding id', () => {
    expect(RANDOM_ID_BYTES * 8).toBeGreaterThanOrEqual(128)
    const ids = Array.from({ length: 3000 }, randomId)
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/)
    expect(new Set(ids).size).toBe(3000)
  })
})
