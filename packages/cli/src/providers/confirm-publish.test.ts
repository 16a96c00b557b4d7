import { PassThrough } from 'node:stream'
import { describe, expect, it, vi } from 'vitest'
import type { CostQuote } from './backend-api.js'
import {
  PUBLISH_QUESTION,
  askLine,
  confirmPublish,
  isYes,
  type ConfirmPublishOptions,
} from './confirm-publish.js'
import { formatQuote } from './quote-text.js'

// 10 units at 0.50 GBP, Prolific's 33.3 % on rewards and bonuses, a 2.00 bonus budget.
const QUOTE: CostQuote = {
  currency: 'GBP',
  units: 10,
  rewardCents: 50,
  rewardTotalCents: 500,
  feeRate: 0.333,
  feesCents: 167,
  bonusBudgetCents: 200,
  bonusFeesCents: 67,
  totalCents: 934,
}

const SUBJECT = { taskName: 'label', platform: 'prolific', sandbox: false, bonusRate: 0.333 }

function options(overrides: Partial<ConfirmPublishOptions> = {}): {
  options: ConfirmPublishOptions
  output: () => string
  ask: ReturnType<typeof vi.fn>
} {
  let text = ''
  const ask = vi.fn<(question: string) => Promise<string>>(() => Promise.resolve('y'))
  return {
    options: {
      subject: SUBJECT,
      yes: false,
      budgetCents: undefined,
      interactive: true,
      ask,
      output: { write: (chunk: string) => (text += chunk) },
      ...overrides,
    },
    output: () => text,
    ask,
  }
}

describe('formatQuote', () => {
  it('shows rewards and fees, the bonus budget and its fees, and the total, aligned', () => {
    expect(formatQuote(QUOTE, SUBJECT)).toBe(
      [
        'Cost of publishing label on prolific:',
        '  rewards: 10 units × 0.50 GBP  5.00 GBP',
        '  fees on rewards (33.3 %)      1.67 GBP',
        '  bonus budget                  2.00 GBP',
        '  fees on bonuses (33.3 %)      0.67 GBP',
        '  total                         9.34 GBP',
        '',
      ].join('\n'),
    )
  })

  it('says when the money is not real, and counts one unit as one', () => {
    const text = formatQuote(
      { ...QUOTE, units: 1, rewardTotalCents: 50, currency: 'USD' },
      { ...SUBJECT, platform: 'mturk', sandbox: true, bonusRate: 0.2 },
    )
    expect(text).toMatch(/^Cost of publishing label on mturk \(sandbox: no real money\):\n/)
    expect(text).toContain('rewards: 1 unit × 0.50 USD')
    expect(text).toContain('fees on bonuses (20 %)')
  })
})

describe('confirmPublish', () => {
  it('asks on a terminal, after the quote, and publishes on yes', async () => {
    const { options: given, output, ask } = options()
    await expect(confirmPublish(QUOTE, given)).resolves.toBe(true)
    expect(ask).toHaveBeenCalledWith(PUBLISH_QUESTION)
    expect(output()).toContain('total')
  })

  it('publishes nothing on no, or on Enter alone', async () => {
    for (const answer of ['n', '', 'nope', 'yess']) {
      const { options: given, output } = options({ ask: () => Promise.resolve(answer) })
      await expect(confirmPublish(QUOTE, given)).resolves.toBe(false)
      expect(output()).toContain('Not published.')
    }
  })

  it('does not ask with --yes, but still prints the quote', async () => {
    const { options: given, output, ask } = options({ yes: true, interactive: false })
    await expect(confirmPublish(QUOTE, given)).resolves.toBe(true)
    expect(ask).not.toHaveBeenCalled()
    expect(output()).toContain('9.34 GBP')
  })

  it('refuses without a terminal and without --yes', async () => {
    const { options: given, ask } = options({ interactive: false })
    await expect(confirmPublish(QUOTE, given)).rejects.toMatchObject({
      code: 'CONFIRMATION_REQUIRED',
      message: expect.stringContaining('add --yes') as string,
    })
    expect(ask).not.toHaveBeenCalled()
  })

  it('refuses over --budget before asking, even with --yes; the total itself is within', async () => {
    for (const yes of [false, true]) {
      const { options: given, ask } = options({ yes, budgetCents: 933 })
      await expect(confirmPublish(QUOTE, given)).rejects.toMatchObject({
        code: 'BUDGET_EXCEEDED',
        message: 'the total 9.34 GBP is over --budget 9.33 GBP: nothing was published',
      })
      expect(ask).not.toHaveBeenCalled()
    }
    const { options: within } = options({ budgetCents: 934 })
    await expect(confirmPublish(QUOTE, within)).resolves.toBe(true)
  })
})

describe('isYes', () => {
  it('takes y and yes in any case', () => {
    expect(['y', 'Y', 'yes', ' YES '].map(isYes)).toEqual([true, true, true, true])
    expect(['', 'n', 'no', 'ja', 'y es'].map(isYes)).toEqual([false, false, false, false, false])
  })
})

describe('askLine', () => {
  it('writes the question and resolves with the line typed', async () => {
    const input = new PassThrough()
    const output = new PassThrough()
    let written = ''
    output.on('data', (chunk: Buffer) => (written += chunk.toString()))
    const answer = askLine(PUBLISH_QUESTION, { input, output })
    input.write('yes\n')
    await expect(answer).resolves.toBe('yes')
    expect(written).toContain(PUBLISH_QUESTION)
  })

  it('answers no when the input ends or the run is stopped', async () => {
    const ended = new PassThrough()
    const first = askLine(PUBLISH_QUESTION, { input: ended, output: new PassThrough() })
    ended.end()
    await expect(first).resolves.toBe('')
    const stopped = askLine(PUBLISH_QUESTION, {
      input: new PassThrough(),
      output: new PassThrough(),
      stopped: Promise.resolve(),
    })
    await expect(stopped).resolves.toBe('')
  })
})
