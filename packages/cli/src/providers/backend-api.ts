// The CLI's one door to the run-side backend API of issue 13 (real crowd
// platforms): everything the CLI needs from @faust/backend's provider core
// and from the Prolific and MTurk platforms goes through this module, so the
// rest of the CLI is written against these names and nothing else.
//
// TEMPORARY (until the `core` and `mturk` branches are merged; `prolific` is):
// the declarations below copy the agreed signatures, and the functions throw
// `not merged yet`. At the merge, this whole block becomes re-exports, e.g.
//   export { quoteCost, crowdProviderFor, completionCodeFor, reconcileRun, reviewUnits,
//     runTask } from '@faust/backend'
//   export type { CostQuote, ListingOptions, RunPlatformOptions, ReconcileEvent,
//     ReconcileEventKind, ReconcileReport, ReviewAction, ReviewOutcome } from '@faust/backend'
// mturkPlatformFromEnvironment is imported from @faust/backend (Prolific's is already), and
// storedListing calls the store's listings repository.
import {
  prolificPlatformFromEnvironment,
  runTask as backendRunTask,
  type CrowdProvider,
  type PlatformFees,
  type ProviderPlatform,
  type RunTaskOptions,
  type TaskRunHandle,
} from '@faust/backend'
import type { Store } from '@faust/backend/store'

/** The platforms `faust run --provider` publishes on. */
export type PlatformType = 'prolific' | 'mturk'

// ---- Declarations copied from the agreed API (replace with re-exports at the merge) ----

export interface ListingOptions {
  readonly title: string
  readonly description: string
  readonly keywords: readonly string[]
  readonly estimatedMinutes: number
  /** The task page as workers reach it (`--public-url`, else the router's URL). */
  readonly pageUrl: string
}

export interface CostQuote {
  readonly currency: string
  readonly units: number
  /** Per unit. */
  readonly rewardCents: number
  readonly rewardTotalCents: number
  readonly feeRate: number
  readonly feesCents: number
  readonly bonusBudgetCents: number
  readonly bonusFeesCents: number
  readonly totalCents: number
}

export interface RunPlatformOptions {
  readonly platform: ProviderPlatform
  readonly listing: ListingOptions
  readonly completionCode: string
  readonly bonusBudgetCents?: number | undefined
  /** Called once before anything is published; false aborts with RunError PUBLISH_DECLINED. */
  readonly confirmPublish: (quote: CostQuote) => Promise<boolean>
  /** @default 60000; 0 = no loop */
  readonly reconcileEveryMs?: number | undefined
}

export type ReconcileEventKind =
  | 'attempt_returned'
  | 'attempt_timed_out'
  | 'submission_without_data'
  | 'stored_not_handed_in'
  | 'review_synced'
  | 'action_retried'
  | 'places_repaired'
  | 'unknown_attempt'
  | 'unknown_status'
  | 'listing_closed'

export interface ReconcileEvent {
  readonly kind: ReconcileEventKind
  readonly agentId: string | null
  readonly attemptId: string | null
  readonly detail: string
  readonly applied: boolean
}

export interface ReconcileReport {
  readonly runId: string
  readonly attempts: number
  readonly events: readonly ReconcileEvent[]
  readonly dryRun: boolean
}

export type ReviewAction =
  | { readonly kind: 'approve'; readonly target: string }
  | {
      readonly kind: 'reject'
      readonly target: string
      readonly reason: string
      readonly category?: string | undefined
    }
  | { readonly kind: 'soft_reject'; readonly target: string; readonly reason?: string | undefined }
  | {
      readonly kind: 'bonus'
      readonly target: string
      readonly amountCents: number
      readonly reason: string
    }

export interface ReviewOutcome {
  readonly unitId: string
  readonly agentId: string
  readonly kind: ReviewAction['kind']
  readonly result: 'done' | 'already_done' | 'failed'
  readonly error?: string | undefined
}

/** A run's published listing as the store keeps it (what `faust reconcile` needs to reach it again). */
export interface StoredListing {
  readonly providerType: string
  readonly sandbox: boolean
}

// ---- Functions (temporary bodies; the merge replaces them) ----

function notMerged(name: string): Error {
  return new Error(
    `${name}: not merged yet (the provider core and the Prolific/MTurk platforms of issue 13 are not in this build)`,
  )
}

export const quoteCost: (input: {
  readonly fees: PlatformFees
  readonly currency: string
  readonly units: number
  readonly rewardCents: number
  readonly bonusBudgetCents: number
}) => CostQuote = () => {
  throw notMerged('quoteCost')
}

export const crowdProviderFor: (
  platform: ProviderPlatform,
  completionCode: string,
) => CrowdProvider = () => {
  throw notMerged('crowdProviderFor')
}

export const completionCodeFor: (
  store: Store,
  taskName: string,
  providerType: string,
) => Promise<string> = () => Promise.reject(notMerged('completionCodeFor'))

export const reconcileRun: (input: {
  readonly store: Store
  readonly platform: ProviderPlatform
  readonly taskRunId: string
  readonly dryRun: boolean
}) => Promise<ReconcileReport> = () => Promise.reject(notMerged('reconcileRun'))

export const reviewUnits: (input: {
  readonly store: Store
  readonly platform: ProviderPlatform | null
  readonly taskName: string
  readonly action: ReviewAction
}) => Promise<readonly ReviewOutcome[]> = () => Promise.reject(notMerged('reviewUnits'))

/** `runTask` with the `platform` option of the agreed API (the merge makes it plain `runTask`). */
export function runTask(
  options: RunTaskOptions & { readonly platform?: RunPlatformOptions | undefined },
): Promise<TaskRunHandle> {
  const { platform, ...rest } = options
  if (platform !== undefined) return Promise.reject(notMerged('runTask({ platform })'))
  return backendRunTask(rest)
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

/** Merge: `mturkPlatformFromEnvironment` from @faust/backend. */
const mturkPlatformFromEnvironment: (
  env: NodeJS.ProcessEnv,
  options: { readonly sandbox: boolean },
) => ProviderPlatform = () => {
  throw notMerged('mturkPlatformFromEnvironment')
}

/**
 * The listing row of a run (provider_listings), or null when it published nothing.
 * Merge: the core's listings repository (provider_type, sandbox of `provider_listings`).
 */
export const storedListing: (
  store: Store,
  taskRunId: string,
) => Promise<StoredListing | null> = () => Promise.reject(notMerged('storedListing'))
