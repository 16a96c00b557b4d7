import { describe, expect, it } from 'vitest'
import { CHAOS_KINDS, pageFaults, parseChaos } from './chaos.js'
import { between, seededRandom } from './seeded-random.js'

describe('--chaos', () => {
  it('reads all, none and lists, and refuses an unknown fault', () => {
    expect(parseChaos('all')).toEqual([...CHAOS_KINDS])
    expect(parseChaos('none')).toEqual([])
    expect(parseChaos('router, disk,router')).toEqual(['router', 'disk'])
    expect(() => parseChaos('router,flood')).toThrow("--chaos: unknown fault 'flood'")
  })

  it('gives pages only the faults asked for', () => {
    expect(pageFaults([])).toEqual({
      reload: 0,
      dropSockets: 0,
      slow: 0,
      duplicate: 0,
      thinkMs: [0, 0],
    })
    const some = pageFaults(['reload', 'duplicate'])
    expect(some.reload).toBeGreaterThan(0)
    expect(some.duplicate).toBeGreaterThan(0)
    expect(some.slow).toBe(0)
  })
})

describe('seededRandom', () => {
  it('repeats its sequence for a seed, differs for another, and stays in [0, 1)', () => {
    const take = (seed: number): number[] => {
      const random = seededRandom(seed)
      return Array.from({ length: 50 }, () => random())
    }
    expect(take(1)).toEqual(take(1))
    expect(take(1)).not.toEqual(take(2))
    for (const value of take(3)) {
      expect(value).toBeGreaterThanOrEqual(0)
      expect(value).toBeLessThan(1)
    }
    const random = seededRandom(4)
    const draws = Array.from({ length: 200 }, () => between(random, 2, 4))
    expect(new Set(draws)).toEqual(new Set([2, 3, 4]))
  })
})
