import { plural } from '../plural.js'
import type { CostQuote } from './backend-api.js'
import { formatMoney } from './provider-flags.js'

/** What is about to be published, for the quote's first line. */
export interface QuoteSubject {
  readonly taskName: string
  readonly platform: string
  readonly sandbox: boolean
  /** The platform's fee rate on bonuses (the quote carries only the rate on rewards). */
  readonly bonusRate: number
}

/**
 * The cost quote shown before anything is published: rewards and their
 * fees, the bonus budget and its fees, and the total, in the platform's
 * currency. Amounts are right-aligned so the total reads as a sum.
 */
export function formatQuote(quote: CostQuote, subject: QuoteSubject): string {
  const money = (cents: number): string => `${formatMoney(cents)} ${quote.currency}`
  const where = `${subject.platform}${subject.sandbox ? ' (sandbox: no real money)' : ''}`
  const rows: [string, string][] = [
    [
      `rewards: ${plural(quote.units, 'unit')} × ${money(quote.rewardCents)}`,
      money(quote.rewardTotalCents),
    ],
    [`fees on rewards (${percent(quote.feeRate)})`, money(quote.feesCents)],
    ['bonus budget', money(quote.bonusBudgetCents)],
    [`fees on bonuses (${percent(subject.bonusRate)})`, money(quote.bonusFeesCents)],
    ['total', money(quote.totalCents)],
  ]
  return `Cost of publishing ${subject.taskName} on ${where}:\n${alignRight(rows)}`
}

function percent(rate: number): string {
  // 0.333 → 33.3 %: one decimal at most, none when whole.
  return `${String(Math.round(rate * 1000) / 10)} %`
}

/** Two columns, labels left and amounts right-aligned, each line indented. */
function alignRight(rows: readonly (readonly [string, string])[]): string {
  const labels = Math.max(...rows.map(([label]) => label.length))
  const amounts = Math.max(...rows.map(([, amount]) => amount.length))
  return rows
    .map(([label, amount]) => `  ${label.padEnd(labels)}  ${amount.padStart(amounts)}\n`)
    .join('')
}
