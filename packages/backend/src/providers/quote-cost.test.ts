import { describe, expect, it } from 'vitest'
import { InMemoryPlatform } from './test-support/in-memory-platform.js'
import { crowdProviderFor } from './crowd-provider-for.js'
import { quoteCost } from './quote-cost.js'

describe('quoteCost', () => {
  it('adds fees on rewards and on the bonus budget, each rounded up to a cent', () => {
    expect(
      quoteCost({
        fees: { rewardRate: 0.333, bonusRate: 0.2 },
        currency: 'GBP',
        units: 7,
        rewardCents: 45,
        bonusBudgetCents: 101,
      }),
    ).toEqual({
      currency: 'GBP',
      units: 7,
      rewardCents: 45,
      rewardTotalCents: 315,
      feeRate: 0.333,
      feesCents: 105, // 104.895 → 105
      bonusBudgetCents: 101,
      bonusFeesCents: 21, // 20.2 → 21
      totalCents: 542,
    })
  })

  it('does not round an exact fee up through floating point (0.2 × 500 = 100)', () => {
    const quote = quoteCost({
      fees: { rewardRate: 0.2, bonusRate: 0.2 },
      currency: 'USD',
      units: 5,
      rewardCents: 100,
      bonusBudgetCents: 0,
    })
    expect([quote.feesCents, quote.bonusFeesCents, quote.totalCents]).toEqual([100, 0, 600])
  })
})

describe('crowdProviderFor', () => {
  const data = {
    worker_name: 'ignored',
    agent_registration_id: 'A1',
    attempt_id: 'A1',
    place_id: 'S',
  }

  it('names workers by the platform id, with _sandbox for sandbox MTurk only', () => {
    const prolific = crowdProviderFor(new InMemoryPlatform({ type: 'prolific' }), 'C')
    expect(prolific.workerName({ ...data, worker_name: 'P1' })).toBe('P1')
    const sandbox = crowdProviderFor(new InMemoryPlatform({ type: 'mturk', sandbox: true }), 'C')
    expect(sandbox.workerName({ ...data, worker_name: 'W1' })).toBe('W1_sandbox')
    expect(sandbox.type).toBe('mturk')
    expect(sandbox.wrapCrowdSourceScript).toContain('C')
    expect(sandbox.identify?.(data)).toEqual({ workerId: 'ignored', attemptId: 'A1', placeId: 'S' })
  })

  it('syncs qualifications by the platform worker id (no suffix)', async () => {
    const platform = new InMemoryPlatform({ type: 'mturk', sandbox: true })
    await crowdProviderFor(platform, 'C').syncQualification?.({
      workerName: 'W1_sandbox',
      qualificationName: 'q',
      value: 1,
    })
    expect(platform.callsOf('setQualification')[0]?.arg).toEqual({
      workerId: 'W1',
      name: 'q',
      value: 1,
    })
  })
})
