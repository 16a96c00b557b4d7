import type { ReviewAction, ReviewOutcome } from './backend-api.js'
import { CliProviderError } from './provider-error.js'
import { formatMoney, parseMoney } from './provider-flags.js'

/** `faust review`'s flags as commander parses them. */
export interface ReviewFlags {
  readonly approve?: string | undefined
  readonly reject?: string | undefined
  readonly softReject?: string | undefined
  /** `--bonus <unit> <amount>`: commander hands the two words as a list. */
  readonly bonus?: readonly string[] | undefined
  readonly reason?: string | undefined
  readonly category?: string | undefined
}

const ACTION_KEYS = ['approve', 'reject', 'softReject', 'bonus'] as const

/** The word `--approve` takes for every completed unit not reviewed yet. */
export const ALL_PENDING = 'all-pending'

/**
 * The one review action the flags ask for. Exactly one of `--approve`,
 * `--reject`, `--soft-reject` and `--bonus`; a rejection and a bonus need
 * `--reason` (workers see it), `--category` goes with `--reject` only.
 */
export function reviewActionFrom(flags: ReviewFlags): ReviewAction {
  const given = ACTION_KEYS.filter((key) => flags[key] !== undefined)
  const [only] = given
  if (only === undefined || given.length > 1) {
    throw invalid(
      given.length === 0
        ? 'give one of --approve <unit|all-pending>, --reject <unit>, --soft-reject <unit>, --bonus <unit> <amount> (or review unit by unit: on a terminal, or with --interactive)'
        : `one action at a time: got ${given.map(flagName).join(' and ')}`,
    )
  }
  if (flags.category !== undefined && flags.reject === undefined) {
    throw invalid('--category goes with --reject (a Prolific rejection category)')
  }
  const reason = flags.reason?.trim()
  if (flags.approve !== undefined) return { kind: 'approve', target: flags.approve }
  if (flags.softReject !== undefined) {
    return {
      kind: 'soft_reject',
      target: flags.softReject,
      reason: reason === '' ? undefined : reason,
    }
  }
  if (reason === undefined || reason === '') {
    throw invalid(`${flagName(only)} needs --reason <text> (the worker is shown it)`)
  }
  if (flags.reject !== undefined) {
    return { kind: 'reject', target: flags.reject, reason, category: flags.category }
  }
  return bonusAction(flags.bonus ?? [], reason)
}

/** Whether the flags name an action (else `faust review` on a terminal is interactive). */
export function hasReviewAction(flags: ReviewFlags): boolean {
  return ACTION_KEYS.some((key) => flags[key] !== undefined)
}

/**
 * Why the flags do not fit an interactive review (each unit's action, reason
 * and amount are asked for), or null when they do.
 */
export function interactiveFlagsProblem(
  flags: ReviewFlags & { readonly json?: boolean | undefined },
): string | null {
  const given = [
    ...ACTION_KEYS.filter((key) => flags[key] !== undefined).map(flagName),
    ...(flags.reason === undefined ? [] : ['--reason']),
    ...(flags.category === undefined ? [] : ['--category']),
    ...(flags.json === true ? ['--json'] : []),
  ]
  return given.length === 0
    ? null
    : `--interactive asks for each unit's action: leave out ${given.join(', ')}`
}

function bonusAction(words: readonly string[], reason: string): ReviewAction {
  const [target, amount] = words
  if (words.length !== 2 || target === undefined || amount === undefined) {
    throw invalid(
      `--bonus takes a unit and an amount (--bonus <unit> 1.50), got ${words.length === 0 ? 'nothing' : words.join(' ')}`,
    )
  }
  let amountCents: number
  try {
    amountCents = parseMoney(amount)
  } catch (error) {
    throw invalid(`--bonus: ${(error as Error).message}`)
  }
  if (amountCents === 0) throw invalid('--bonus: the amount must be more than 0')
  return { kind: 'bonus', target, amountCents, reason }
}

const OUTCOME_WORDS: Record<ReviewOutcome['result'], string> = {
  done: 'done',
  already_done: 'already done (nothing sent again)',
  failed: 'FAILED',
}

/** One line per unit: the action, the unit and agent, and what came of it. */
export function formatReviewOutcomes(
  outcomes: readonly ReviewOutcome[],
  action: ReviewAction,
  currency: string | null,
): string {
  if (outcomes.length === 0) {
    return action.target === ALL_PENDING
      ? 'nothing to review: no completed unit awaits a decision\n'
      : `nothing done for ${action.target}\n`
  }
  const what =
    action.kind === 'bonus'
      ? `bonus ${formatMoney(action.amountCents)}${currency === null ? '' : ` ${currency}`}`
      : action.kind.replace('_', '-')
  return outcomes
    .map(
      (outcome) =>
        `${what} unit ${outcome.unitId} (agent ${outcome.agentId}): ${OUTCOME_WORDS[outcome.result]}` +
        `${outcome.error === undefined ? '' : `: ${outcome.error}`}\n`,
    )
    .join('')
}

function flagName(key: 'approve' | 'reject' | 'softReject' | 'bonus'): string {
  return key === 'softReject' ? '--soft-reject' : `--${key}`
}

function invalid(message: string): CliProviderError {
  return new CliProviderError('REVIEW_ARGS_INVALID', message)
}
