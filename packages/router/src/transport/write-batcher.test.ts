import { setImmediate as nextTurn } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { WriteBatcher, type Corkable } from './write-batcher.js'

function socket(): Corkable & { corks: number; uncorks: number } {
  return {
    corks: 0,
    uncorks: 0,
    cork() {
      this.corks += 1
    },
    uncork() {
      this.uncorks += 1
    },
  }
}

describe('WriteBatcher', () => {
  it('corks each socket once per turn and uncorks it after the turn', async () => {
    const batcher = new WriteBatcher()
    const a = socket()
    const b = socket()
    batcher.hold(a)
    batcher.hold(a)
    batcher.hold(b)
    expect([a.corks, a.uncorks, b.corks, b.uncorks]).toEqual([1, 0, 1, 0])
    await nextTurn()
    expect([a.corks, a.uncorks, b.corks, b.uncorks]).toEqual([1, 1, 1, 1])
    batcher.hold(a)
    expect(a.corks).toBe(2)
    await nextTurn()
    expect(a.uncorks).toBe(2)
  })
})
