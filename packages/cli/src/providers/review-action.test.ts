import { describe, expect, it } from 'vitest'
import type { ReviewOutcome } from './backend-api.js'
import { formatReviewOutcomes, reviewActionFrom } from './review-action.js'

describe('reviewActionFrom', () => {
  it('reads each action', () => {
    expect(reviewActionFrom({ approve: 'all-pending' })).toEqual({
      kind: 'approve',
      target: 'all-pending',
    })
    expect(
      reviewActionFrom({ reject: 'u1', reason: ' off topic ', category: 'LOW_EFFORT' }),
    ).toEqual({ kind: 'reject', target: 'u1', reason: 'off topic', category: 'LOW_EFFORT' })
    expect(reviewActionFrom({ softReject: 'u2' })).toEqual({
      kind: 'soft_reject',
      target: 'u2',
      reason: undefined,
    })
    expect(reviewActionFrom({ bonus: ['u3', '1.5'], reason: 'great work' })).toEqual({
      kind: 'bonus',
      target: 'u3',
      amountCents: 150,
      reason: 'great work',
    })
  })

  it.each([
    [{}, /give one of --approve/],
    [
      { approve: 'u1', reject: 'u2', reason: 'x' },
      'one action at a time: got --approve and --reject',
    ],
    [{ reject: 'u1' }, '--reject needs --reason'],
    [{ reject: 'u1', reason: '  ' }, '--reject needs --reason'],
    [{ bonus: ['u1', '1'] }, '--bonus needs --reason'],
    [{ bonus: ['u1'], reason: 'x' }, '--bonus takes a unit and an amount'],
    [{ bonus: ['u1', '1', '2'], reason: 'x' }, '--bonus takes a unit and an amount'],
    [{ bonus: ['u1', '£1'], reason: 'x' }, '--bonus: expected an amount'],
    [{ bonus: ['u1', '0'], reason: 'x' }, 'more than 0'],
    [{ approve: 'u1', category: 'X' }, '--category goes with --reject'],
  ])('refuses %j', (flags, message) => {
    expect(() => reviewActionFrom(flags)).toThrow(message)
    expect(() => reviewActionFrom(flags)).toThrow(
      expect.objectContaining({ code: 'REVIEW_ARGS_INVALID' }),
    )
  })
})

describe('formatReviewOutcomes', () => {
  const outcomes: ReviewOutcome[] = [
    { unitId: 'u1', agentId: 'a1', kind: 'bonus', result: 'done' },
    { unitId: 'u2', agentId: 'a2', kind: 'bonus', result: 'already_done' },
    {
      unitId: 'u3',
      agentId: 'a3',
      kind: 'bonus',
      result: 'failed',
      error: 'PROVIDER_UNAVAILABLE: 503',
    },
  ]

  it('prints one line per unit with the result', () => {
    const action = { kind: 'bonus', target: 'u1', amountCents: 150, reason: 'x' } as const
    expect(formatReviewOutcomes(outcomes, action, 'GBP')).toBe(
      'bonus 1.50 GBP unit u1 (agent a1): done\n' +
        'bonus 1.50 GBP unit u2 (agent a2): already done (nothing sent again)\n' +
        'bonus 1.50 GBP unit u3 (agent a3): FAILED: PROVIDER_UNAVAILABLE: 503\n',
    )
    expect(
      formatReviewOutcomes(
        [{ unitId: 'u4', agentId: 'a4', kind: 'soft_reject', result: 'done' }],
        { kind: 'soft_reject', target: 'u4' },
        null,
      ),
    ).toBe('soft-reject unit u4 (agent a4): done\n')
  })

  it('says when nothing awaited review', () => {
    expect(formatReviewOutcomes([], { kind: 'approve', target: 'all-pending' }, null)).toBe(
      'nothing to review: no completed unit awaits a decision\n',
    )
  })
})
