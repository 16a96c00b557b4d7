import { FakeClock } from '@faust/testing'
import { describe, expect, it } from 'vitest'
import { SubmittedAgents } from './submitted-agents.js'

function start(max = 2, ttlMs = 1000): { submitted: SubmittedAgents; clock: FakeClock } {
  const clock = new FakeClock()
  return { submitted: new SubmittedAgents({ clock, max, ttlMs }), clock }
}

describe('SubmittedAgents', () => {
  it('tells a first submission, an identical retry and different data apart', () => {
    const { submitted } = start()
    expect(submitted.check('a', 'd1')).toBe('first')
    submitted.remember('a', 'd1')
    expect(submitted.check('a', 'd1')).toBe('same')
    expect(submitted.check('a', 'd2')).toBe('different')
  })

  it('keeps the first submission: a later one never replaces it', () => {
    const { submitted } = start()
    submitted.remember('a', 'd1')
    submitted.remember('a', 'd2')
    expect(submitted.check('a', 'd1')).toBe('same')
  })

  it('forgets the oldest agent once over `max`', () => {
    const { submitted } = start(2)
    submitted.remember('a', 'd')
    submitted.remember('b', 'd')
    submitted.remember('c', 'd')
    expect(submitted.size).toBe(2)
    expect([submitted.check('a', 'x'), submitted.check('b', 'x')]).toEqual(['first', 'different'])
  })

  it('forgets a submission after the TTL, on the clock', () => {
    const { submitted, clock } = start(2, 1000)
    submitted.remember('a', 'd1')
    clock.advance(999)
    expect(submitted.check('a', 'd2')).toBe('different')
    clock.advance(1)
    expect(submitted.check('a', 'd2')).toBe('first')
    expect(submitted.size).toBe(0)
  })

  it('remembers nothing with `max` 0', () => {
    const { submitted } = start(0)
    submitted.remember('a', 'd1')
    expect([submitted.size, submitted.check('a', 'd2')]).toEqual([0, 'first'])
  })
})
