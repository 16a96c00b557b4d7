import { ProviderError } from '../../util/backend-error.js'

// MTurk amounts (Reward, BonusAmount, AvailableBalance) are US dollar strings
// such as "5" or "101.42" (API reference, SendBonus BonusAmount). Faust keeps
// integer cents; converting through strings keeps them exact (no floats).

/** `50` → `"0.50"`, `1234` → `"12.34"`. */
export function centsToDollars(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents < 0) {
    throw new ProviderError(
      'PROVIDER_REQUEST_INVALID',
      `amount must be whole cents ≥ 0, got ${cents}`,
    )
  }
  const whole = Math.trunc(cents / 100)
  return `${whole}.${String(cents % 100).padStart(2, '0')}`
}

/** `"0.5"`, `"0.50"`, `"5"` → cents; anything else is a malformed answer. */
export function dollarsToCents(dollars: string): number {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(dollars.trim())
  if (match === null) {
    throw new ProviderError(
      'PROVIDER_RESPONSE_INVALID',
      `not a dollar amount: ${JSON.stringify(dollars)}`,
    )
  }
  const fraction = (match[2] ?? '').padEnd(2, '0')
  return Number(match[1]) * 100 + Number(fraction)
}
