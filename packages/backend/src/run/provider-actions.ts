import type { ProviderIdentity, ProviderPlatform } from '../providers/provider-platform.js'
import type { ProviderActionRow } from '../store/provider-records-repository.js'
import type { Store } from '../store/store.js'
import { ProviderError } from '../util/backend-error.js'

/** How one call of a recorded action ended. */
export type ActionCallResult =
  { readonly ok: true } | { readonly ok: false; readonly code: string; readonly retryable: boolean }

/**
 * Sends a recorded action to the platform under its stored key and writes
 * the outcome: `done`, `failed` with the error code, or still `pending` (with
 * the error) when the platform was unavailable, so that the next review or
 * reconciliation pass sends it again with the same key. The row must already
 * be `pending`: written before the call, it is what makes a crash between
 * the call and its answer safe.
 */
export async function sendRecordedAction(input: {
  readonly store: Store
  readonly platform: ProviderPlatform
  readonly action: ProviderActionRow
  readonly attempt: ProviderIdentity
}): Promise<ActionCallResult> {
  const { store, platform, action, attempt } = input
  try {
    await callPlatform(platform, action, attempt)
  } catch (error) {
    const code = error instanceof ProviderError ? error.code : 'PROVIDER_CALL_FAILED'
    const retryable = error instanceof ProviderError && error.retryable
    await store.providerRecords.finishAction(action.key, {
      state: retryable ? 'pending' : 'failed',
      error: code,
    })
    return { ok: false, code, retryable }
  }
  await store.providerRecords.finishAction(action.key, { state: 'done' })
  return { ok: true }
}

async function callPlatform(
  platform: ProviderPlatform,
  action: ProviderActionRow,
  attempt: ProviderIdentity,
): Promise<void> {
  const key = action.key
  switch (action.kind) {
    case 'approve':
    // A soft rejection pays the worker: the platform sees an approval.
    // eslint-disable-next-line no-fallthrough -- the same call
    case 'soft_reject':
      return platform.approve(attempt, { key })
    case 'reject':
      return platform.reject(attempt, {
        key,
        reason: reasonOf(action) ?? '',
        ...categoryOf(action),
      })
    case 'bonus':
      return platform.bonus(attempt, {
        key,
        amountCents: action.amountCents ?? 0,
        reason: action.reason ?? '',
      })
    case 'block':
      return platform.block(attempt.workerId, action.reason ?? '')
    case 'unblock':
      return platform.unblock(attempt.workerId)
    case 'qualify':
      // Qualifications are synced through CrowdProvider.syncQualification, not recorded here.
      return undefined
  }
}

// A rejection's category travels in its reason column as `category|reason`,
// the category possibly empty (the table has no column of its own).
function categoryOf(action: ProviderActionRow): { category?: string } {
  const separator = action.reason?.indexOf('|') ?? -1
  if (action.reason === null || separator <= 0) return {}
  return { category: action.reason.slice(0, separator) }
}

/** The reason column of a rejection (see {@link categoryOf}). */
export function rejectionReasonColumn(reason: string, category: string | undefined): string {
  return `${category ?? ''}|${reason}`
}

/** The reason of a recorded rejection without its category prefix. */
export function reasonOf(action: ProviderActionRow): string | null {
  if (action.kind !== 'reject' || action.reason === null) return action.reason
  const separator = action.reason.indexOf('|')
  return separator < 0 ? action.reason : action.reason.slice(separator + 1)
}
