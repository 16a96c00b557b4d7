import type { PlatformFees } from './provider-platform.js'

/** What a run on a paid platform costs at most, before anything is published. Integer cents. */
export interface CostQuote {
  /** ISO 4217 (the platform's currency). */
  readonly currency: string
  readonly units: number
  /** Per unit. */
  readonly rewardCents: number
  /** units × reward. */
  readonly rewardTotalCents: number
  /** The platform's rate on rewards (0.2 = 20 %). */
  readonly feeRate: number
  /** The fees on the rewards. */
  readonly feesCents: number
  readonly bonusBudgetCents: number
  /** The platform's bonus rate × the bonus budget. */
  readonly bonusFeesCents: number
  readonly totalCents: number
}

/**
 * The cost of `units` units at `rewardCents` each plus a bonus budget, with
 * the platform's fees, each fee rounded up to a whole cent (a quote never
 * under-states what is charged).
 */
export function quoteCost(input: {
  readonly fees: PlatformFees
  readonly currency: string
  readonly units: number
  readonly rewardCents: number
  readonly bonusBudgetCents: number
}): CostQuote {
  const rewardTotalCents = input.units * input.rewardCents
  // The product is rounded first so that 0.2 × 500 (100.00000000000001) is 100, not 101.
  const feeOf = (cents: number, rate: number): number =>
    Math.ceil(Number((cents * rate).toFixed(6)))
  const feesCents = feeOf(rewardTotalCents, input.fees.rewardRate)
  const bonusFeesCents = feeOf(input.bonusBudgetCents, input.fees.bonusRate)
  return {
    currency: input.currency,
    units: input.units,
    rewardCents: input.rewardCents,
    rewardTotalCents,
    feeRate: input.fees.rewardRate,
    feesCents,
    bonusBudgetCents: input.bonusBudgetCents,
    bonusFeesCents,
    totalCents: rewardTotalCents + feesCents + input.bonusBudgetCents + bonusFeesCents,
  }
}
