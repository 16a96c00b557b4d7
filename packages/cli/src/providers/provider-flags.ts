import { InvalidArgumentError } from 'commander'
import type { PlatformType } from './backend-api.js'
import { CliProviderError } from './provider-error.js'

/** What `faust run --provider` takes. */
export const PROVIDER_TYPES = ['mock', 'prolific', 'mturk'] as const

/** One of {@link PROVIDER_TYPES}. */
export type ProviderType = (typeof PROVIDER_TYPES)[number]

/** `faust run`'s provider flags as commander parses them (money already in cents). */
export interface ProviderFlags {
  readonly provider: ProviderType
  readonly sandbox?: boolean | undefined
  readonly publicUrl?: string | undefined
  readonly yes?: boolean | undefined
  /** Cents, from `--budget 25.50`. */
  readonly budget?: number | undefined
  /** Cents, from `--bonus-budget`. */
  readonly bonusBudget: number
  /** Seconds; 0 = no reconciliation loop. */
  readonly reconcileEvery: number
}

/** Where a run finds its workers. */
export type ProviderChoice =
  | { readonly kind: 'mock' }
  | {
      readonly kind: 'platform'
      readonly type: PlatformType
      readonly sandbox: boolean
      /** `--public-url`; unset means the router's own URL. */
      readonly publicUrl: string | undefined
      readonly yes: boolean
      readonly budgetCents: number | undefined
      readonly bonusBudgetCents: number
      readonly reconcileEveryMs: number
    }

/**
 * Checks that the provider flags fit together and says where workers come
 * from. Flags that only mean something on a paid platform are refused with
 * the mock provider rather than ignored: a researcher who typed `--budget`
 * believes money is at stake.
 */
export function chooseProvider(flags: ProviderFlags): ProviderChoice {
  const sandbox = flags.sandbox === true
  if (sandbox && flags.provider !== 'mturk') {
    throw invalid(
      flags.provider === 'prolific'
        ? '--sandbox is for --provider mturk: Prolific has no sandbox (try a small study first)'
        : '--sandbox is for --provider mturk: the mock provider pays nobody already',
    )
  }
  if (flags.provider === 'mock') {
    const paidOnly = [
      flags.publicUrl !== undefined && '--public-url',
      flags.budget !== undefined && '--budget',
      flags.bonusBudget > 0 && '--bonus-budget',
    ].filter((flag): flag is string => flag !== false)
    if (paidOnly.length > 0) {
      throw invalid(
        `${paidOnly.join(', ')}: only with --provider prolific or mturk (the mock provider publishes nothing)`,
      )
    }
    return { kind: 'mock' }
  }
  if (flags.publicUrl !== undefined) checkPageUrl(flags.publicUrl, flags.provider, sandbox)
  return {
    kind: 'platform',
    type: flags.provider,
    sandbox,
    publicUrl: flags.publicUrl,
    yes: flags.yes === true,
    budgetCents: flags.budget,
    bonusBudgetCents: flags.bonusBudget,
    reconcileEveryMs: flags.reconcileEvery * 1000,
  }
}

/**
 * Checks the page URL workers open: http(s), and https for MTurk production
 * (MTurk frames the page in its https site; a browser blocks an http frame
 * there). Returns it without a trailing slash.
 */
export function checkPageUrl(url: string, type: PlatformType, sandbox: boolean): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw invalid(`--public-url: not a URL: ${url}`)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalid(`--public-url: expected an http:// or https:// address, got ${url}`)
  }
  if (type === 'mturk' && !sandbox && parsed.protocol !== 'https:') {
    throw invalid(
      `the page workers open must be https for MTurk production (got ${url}): give --public-url https://… (docs/deploy.md), or --sandbox`,
    )
  }
  return url.endsWith('/') ? url.slice(0, -1) : url
}

/**
 * Checks, before anything starts, the page URL a run will give workers:
 * `--public-url`, else the remote router's `--router-url`, else a local
 * router's address, which is always http (refused for MTurk production).
 */
export function checkPlannedPageUrl(
  choice: ProviderChoice,
  remoteRouterUrl: string | undefined,
): void {
  if (choice.kind === 'mock' || choice.publicUrl !== undefined) return
  if (remoteRouterUrl !== undefined) {
    checkPageUrl(remoteRouterUrl, choice.type, choice.sandbox)
    return
  }
  if (choice.type === 'mturk' && !choice.sandbox) {
    throw invalid(
      'the page workers open must be https for MTurk production, and a local router serves http: give --public-url https://… (a TLS proxy in front of it, docs/deploy.md) or --router-url https://…, or --sandbox',
    )
  }
}

/** The URL workers open: `--public-url`, else the router's, checked for the platform. */
export function pageUrlFor(
  choice: Extract<ProviderChoice, { kind: 'platform' }>,
  routerUrl: string,
): string {
  return checkPageUrl(choice.publicUrl ?? routerUrl, choice.type, choice.sandbox)
}

/**
 * Parses an amount of money in the platform's currency, major units
 * (`25`, `25.5`, `25.50`), into integer cents. More than two decimals is
 * refused rather than rounded: a budget is a promise.
 */
export function parseMoney(value: string): number {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(value.trim())
  if (match === null) {
    throw new InvalidArgumentError(
      `expected an amount such as 25 or 25.50 (no currency sign), got '${value}'`,
    )
  }
  const cents = Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'))
  if (!Number.isSafeInteger(cents)) throw new InvalidArgumentError(`amount too large: '${value}'`)
  return cents
}

/** Cents as major units with two decimals (`2550` → `25.50`). */
export function formatMoney(cents: number): string {
  const sign = cents < 0 ? '-' : ''
  const abs = Math.abs(cents)
  return `${sign}${String(Math.floor(abs / 100))}.${String(abs % 100).padStart(2, '0')}`
}

function invalid(message: string): CliProviderError {
  return new CliProviderError('PROVIDER_FLAG_INVALID', message)
}
