import type { ProviderData } from '@faust/protocol'

// The side of a crowd platform (Prolific, Amazon Mechanical Turk) that Faust
// drives from the requester's machine: publishing a listing, keeping its open
// places in step with the run, reading back every worker's attempt, and
// moving money. Implementations hold no state of their own: what must outlive
// a process (the listing's ids) is returned as a ListingRecord that the run
// stores and hands back, so a restarted run continues the same listing
// instead of publishing a second one. docs/providers.md describes each
// platform's mapping.

/** A worker's attempt as the platform reports it, normalised across platforms. */
export const AttemptStatus = {
  /** Started, not handed in (Prolific ACTIVE; MTurk an accepted assignment). */
  ACTIVE: 'active',
  /** Handed in, awaiting review (Prolific AWAITING REVIEW; MTurk Submitted). */
  SUBMITTED: 'submitted',
  APPROVED: 'approved',
  REJECTED: 'rejected',
  /** The worker gave the place back (Prolific RETURNED; MTurk returned or abandoned). */
  RETURNED: 'returned',
  /** The platform's own time limit ran out (Prolific TIMED-OUT). */
  TIMED_OUT: 'timed_out',
  /** A status this version does not know; logged, never acted on. */
  UNKNOWN: 'unknown',
} as const

/** One of the {@link AttemptStatus} strings. */
export type AttemptStatus = (typeof AttemptStatus)[keyof typeof AttemptStatus]

/** Who and what a registration is on the platform, read from the page's provider data. */
export interface ProviderIdentity {
  /** The platform's worker id (Prolific PROLIFIC_PID, MTurk WorkerId). */
  readonly workerId: string
  /** The platform's id of this attempt (Prolific SESSION_ID = submission id, MTurk AssignmentId). */
  readonly attemptId: string
  /** What the attempt is on (Prolific STUDY_ID, MTurk HITId). */
  readonly placeId: string
}

/** One attempt in the platform's view (reconciliation reads these). */
export interface ProviderAttempt extends ProviderIdentity {
  readonly status: AttemptStatus
  /** The platform's own status string, kept as it came (e.g. `AWAITING REVIEW`). */
  readonly providerStatus: string
  /** Epoch ms, when the platform says. */
  readonly startedAt?: number | undefined
  readonly submittedAt?: number | undefined
}

/** A published listing (Prolific study, MTurk HIT type and its HITs), stored with the run. */
export interface ListingRecord {
  /** The platform's id of the listing (Prolific study id, MTurk HIT type id). */
  readonly listingId: string
  readonly sandbox: boolean
  /** Platform-specific ids kept for later calls (JSON-safe: qualification type ids, group ids…). */
  readonly details: Readonly<Record<string, unknown>>
}

/** What to publish for a run. Money is integer cents of the platform's currency. */
export interface PublishRequest {
  /** The Faust run; implementations tag their listing with it (MTurk RequesterAnnotation). */
  readonly runId: string
  readonly taskName: string
  readonly title: string
  readonly description: string
  readonly keywords: readonly string[]
  readonly rewardCents: number
  /** Places at first (the units launched); {@link ProviderPlatform.setOpenPlaces} changes it. */
  readonly places: number
  readonly estimatedMinutes: number
  /** The longest a worker may take (the task's assignment duration). */
  readonly maxMinutes: number
  /** The task page as workers reach it (https in production). */
  readonly pageUrl: string
  /** The code a worker's page hands back on completion (Prolific's completion code). */
  readonly completionCode: string
  /** Platform worker ids never to be admitted (blocked workers known locally). */
  readonly blockedWorkerIds: readonly string[]
}

/** Every call that moves money or changes a worker's standing carries the action's key. */
export interface ActionRequest {
  /** Stable for one action across retries and restarts (≤ 64 characters: MTurk's limit). */
  readonly key: string
}

/** Rates the platform charges on top of what workers get (0.2 = 20 %). */
export interface PlatformFees {
  readonly rewardRate: number
  readonly bonusRate: number
}

/**
 * A crowd platform Faust publishes on and pays through. Every method may
 * throw a ProviderError (provider-error.ts) with a stable code; transient
 * failures (429 with Retry-After, 5xx, timeouts) are retried inside the
 * implementation with backoff before they are thrown.
 */
export interface ProviderPlatform {
  /** `prolific` or `mturk`: stored as workers' `provider_type`. */
  readonly type: string
  readonly sandbox: boolean
  /** ISO 4217 code of the money amounts (`USD`, `GBP`). */
  readonly currency: string
  readonly fees: PlatformFees
  /**
   * The platform's `wrap_crowd_source.js`: reads the platform's URL
   * parameters and, after a stored submission, sends the worker back (Prolific
   * completion redirect with `completionCode`; MTurk's externalSubmit form).
   */
  wrapCrowdSourceScript(completionCode: string): string
  /** The platform ids in a registration's provider data, or null when they are missing. */
  identify(providerData: ProviderData): ProviderIdentity | null
  /**
   * Creates and opens the listing, or, given the record of an earlier call
   * for the same run, returns it (repaired if needed) without a second listing.
   */
  publish(request: PublishRequest, previous: ListingRecord | null): Promise<ListingRecord>
  /** Makes exactly `open` new workers able to start (resize a study; create or expire HITs). */
  setOpenPlaces(listing: ListingRecord, open: number): Promise<void>
  /** Stops new workers for a while (Prolific PAUSE), when the run is paused. Idempotent. */
  pause?(listing: ListingRecord): Promise<void>
  /** Takes workers again after {@link pause} (Prolific START). Idempotent. */
  resume?(listing: ListingRecord): Promise<void>
  /** Takes no new workers; workers already in may still hand in. Idempotent. */
  close(listing: ListingRecord): Promise<void>
  /** Closes listings of this platform that Faust left open but no longer knows (a crashed run). Returns how many. */
  cleanUpOrphans?(knownListingIds: readonly string[]): Promise<number>
  /**
   * Every attempt on the listing, across all pages. `known` (the attempts Faust
   * registered on it, oldest first) lets a platform that does not list
   * attempts in progress infer their status (MTurk lists only submitted,
   * approved and rejected assignments); platforms that list everything ignore it.
   */
  listAttempts(
    listing: ListingRecord,
    known?: readonly ProviderIdentity[],
  ): AsyncIterable<ProviderAttempt>
  /**
   * The platform's present view of one attempt (read back after a review
   * action, so Faust's record shows the platform's new status at once), or
   * null when the platform does not list it.
   */
  getAttempt?(attempt: ProviderIdentity): Promise<ProviderAttempt | null>
  approve(attempt: ProviderIdentity, request: ActionRequest): Promise<void>
  reject(
    attempt: ProviderIdentity,
    request: ActionRequest & {
      readonly reason: string
      /** Prolific's rejection category (e.g. `FAILED_INSTRUCTIONS`); ignored elsewhere. */
      readonly category?: string | undefined
    },
  ): Promise<void>
  bonus(
    attempt: ProviderIdentity,
    request: ActionRequest & { readonly amountCents: number; readonly reason: string },
  ): Promise<void>
  /** Grants (value) or revokes (null) a named qualification on the platform. */
  setQualification(workerId: string, name: string, value: number | null): Promise<void>
  block(workerId: string, reason: string): Promise<void>
  unblock(workerId: string): Promise<void>
  message?(workerId: string, subject: string, body: string, listing: ListingRecord): Promise<void>
}
