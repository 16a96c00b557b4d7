import type { Clock, Logger } from '@faust/protocol'
import { ProviderError } from '../../util/backend-error.js'
import { PROLIFIC_DEFAULT_FEES, createProlificPlatform } from './prolific-platform.js'
import type { ProlificPlatform } from './prolific-platform.js'

/** What `prolificPlatformFromEnvironment` may take besides the environment. */
export interface ProlificEnvironmentOptions {
  readonly fetch?: typeof fetch | undefined
  readonly clock?: Clock | undefined
  readonly logger?: Logger | undefined
}

/**
 * The Prolific platform configured from the environment: PROLIFIC_API_TOKEN
 * (required; never stored or logged), PROLIFIC_API_URL, PROLIFIC_COMPLETION_URL,
 * PROLIFIC_WORKSPACE_ID, PROLIFIC_PROJECT_ID, PROLIFIC_CURRENCY (GBP or USD)
 * and PROLIFIC_FEE_RATE (e.g. 0.333).
 */
export function prolificPlatformFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  options: ProlificEnvironmentOptions = {},
): ProlificPlatform {
  const token = env['PROLIFIC_API_TOKEN']?.trim()
  if (token === undefined || token === '') {
    throw new ProviderError(
      'PROVIDER_AUTH_MISSING',
      'PROLIFIC_API_TOKEN is not set: create a token in Prolific (Settings → API token)',
    )
  }
  const currency = (env['PROLIFIC_CURRENCY']?.trim() ?? 'GBP').toUpperCase() || 'GBP'
  if (currency !== 'GBP' && currency !== 'USD') {
    throw new ProviderError(
      'PROVIDER_REQUEST_INVALID',
      `PROLIFIC_CURRENCY must be GBP or USD (got ${currency})`,
    )
  }
  return createProlificPlatform({
    token,
    apiUrl: nonEmpty(env['PROLIFIC_API_URL']),
    completionUrl: nonEmpty(env['PROLIFIC_COMPLETION_URL']),
    workspaceId: nonEmpty(env['PROLIFIC_WORKSPACE_ID']),
    projectId: nonEmpty(env['PROLIFIC_PROJECT_ID']),
    currency,
    fees: feesFrom(env['PROLIFIC_FEE_RATE']),
    ...options,
  })
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed === undefined || trimmed === '' ? undefined : trimmed
}

function feesFrom(value: string | undefined): ProlificPlatform['fees'] {
  const text = nonEmpty(value)
  if (text === undefined) return PROLIFIC_DEFAULT_FEES
  const rate = Number(text)
  if (!Number.isFinite(rate) || rate < 0 || rate > 5) {
    throw new ProviderError(
      'PROVIDER_REQUEST_INVALID',
      `PROLIFIC_FEE_RATE must be a fraction such as 0.333 (got ${text})`,
    )
  }
  return { rewardRate: rate, bonusRate: rate }
}
