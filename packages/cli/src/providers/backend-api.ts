// The CLI's one door to the run-side backend API of real crowd platforms
// (docs/providers.md): the provider core and the Prolific and MTurk platforms
// of @faust/backend, so the rest of the CLI is written against these names.
import {
  mturkPlatformFromEnvironment,
  prolificPlatformFromEnvironment,
  type ProviderPlatform,
} from '@faust/backend'
import type { Store } from '@faust/backend/store'

export {
  crowdProviderFor,
  completionCodeFor,
  reconcileRun,
  reviewUnits,
  runTask,
} from '@faust/backend'
export type {
  CostQuote,
  ListingOptions,
  RunPlatformOptions,
  ReconcileEvent,
  ReconcileEventKind,
  ReconcileReport,
  ReviewAction,
  ReviewOutcome,
} from '@faust/backend'

/** The platforms `faust run --provider` publishes on. */
export type PlatformType = 'prolific' | 'mturk'

/** A run's published listing as the store keeps it (what `faust reconcile` needs to reach it again). */
export interface StoredListing {
  readonly providerType: string
  readonly sandbox: boolean
}

/**
 * The platform, its credentials and endpoints from the environment
 * (PROLIFIC_API_TOKEN, PROLIFIC_API_URL, PROLIFIC_COMPLETION_URL…; the AWS
 * SDK's chain and AWS_ENDPOINT_URL_MTURK). Throws ProviderError
 * PROVIDER_AUTH_MISSING when a credential is missing.
 */
export function platformFromEnvironment(
  type: PlatformType,
  env: NodeJS.ProcessEnv,
  options: { readonly sandbox: boolean },
): ProviderPlatform {
  if (type === 'prolific') return prolificPlatformFromEnvironment(env)
  return mturkPlatformFromEnvironment(env, options)
}

/** The listing row of a run (provider_listings), or null when it published nothing. */
export async function storedListing(
  store: Store,
  taskRunId: string,
): Promise<StoredListing | null> {
  const row = await store.providerRecords.getListing(taskRunId)
  return row === null ? null : { providerType: row.providerType, sandbox: row.sandbox }
}
