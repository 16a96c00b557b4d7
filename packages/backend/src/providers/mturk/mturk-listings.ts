import {
  AssociateQualificationWithWorkerCommand,
  CreateHITTypeCommand,
  CreateHITWithHITTypeCommand,
  UpdateExpirationForHITCommand,
  paginateListAssignmentsForHIT,
  paginateListHITs,
  type HIT,
  type QualificationRequirement,
} from '@aws-sdk/client-mturk'
import { ProviderError } from '../../util/backend-error.js'
import type {
  ListingRecord,
  ProviderAttempt,
  ProviderIdentity,
  PublishRequest,
} from '../provider-platform.js'
import { call, type MturkContext } from './mturk-call.js'
import { mturkError } from './mturk-errors.js'
import {
  attemptOf,
  externalQuestion,
  inferredAttempts,
  isAssignable,
  isFaustHit,
  isLive,
  runAnnotation,
} from './mturk-hits.js'
import { centsToDollars } from './mturk-money.js'

// A run's listing on MTurk: one HIT type (reward, title, duration,
// requirements) and one HIT with MaxAssignments 1 per open place, each
// annotated `faust:<runId>`. Nothing is kept locally: the run's HITs are
// found by listing every HIT (ListHITs, all pages) and reading the annotation.

/** The qualification a worker blocked before publishing holds; the HIT type requires it absent. */
export const MTURK_BLOCKED_QUALIFICATION = 'faust-blocked'
// Setting a HIT's expiration in the past expires it at once (UpdateExpirationForHIT).
const EXPIRED = new Date(0)

/** The listing's details kept in the ListingRecord (JSON-safe). */
interface MturkDetails {
  readonly runId: string
  readonly pageUrl: string
  readonly lifetimeSeconds: number
  readonly blockedQualificationTypeId: string | null
}

function detailsOf(listing: ListingRecord): MturkDetails {
  const { runId, pageUrl, lifetimeSeconds, blockedQualificationTypeId } = listing.details
  if (
    typeof runId !== 'string' ||
    typeof pageUrl !== 'string' ||
    typeof lifetimeSeconds !== 'number'
  ) {
    throw new ProviderError(
      'PROVIDER_REQUEST_INVALID',
      `not an MTurk listing record: ${listing.listingId}`,
    )
  }
  const blocked = typeof blockedQualificationTypeId === 'string' ? blockedQualificationTypeId : null
  return { runId, pageUrl, lifetimeSeconds, blockedQualificationTypeId: blocked }
}

export class MturkListings {
  readonly #context: MturkContext

  constructor(context: MturkContext) {
    this.#context = context
  }

  async publish(request: PublishRequest, previous: ListingRecord | null): Promise<ListingRecord> {
    if (previous !== null) return previous
    const blockedTypeId = await this.#blockBeforehand(request.blockedWorkerIds)
    const hitTypeId = await this.#createHitType(request, blockedTypeId)
    const details: MturkDetails = {
      runId: request.runId,
      pageUrl: request.pageUrl,
      lifetimeSeconds: this.#context.lifetimeSeconds,
      blockedQualificationTypeId: blockedTypeId,
    }
    const listing: ListingRecord = {
      listingId: hitTypeId,
      sandbox: this.#context.sandbox,
      details: { ...details },
    }
    await this.setOpenPlaces(listing, request.places)
    return listing
  }

  async setOpenPlaces(listing: ListingRecord, open: number): Promise<void> {
    if (!Number.isSafeInteger(open) || open < 0) {
      throw new ProviderError(
        'PROVIDER_REQUEST_INVALID',
        `open places must be a whole number ≥ 0, got ${open}`,
      )
    }
    const now = this.#context.clock.now()
    const hits = await this.#runHits(detailsOf(listing).runId)
    const assignable = hits.filter((hit) => isAssignable(hit, now))
    if (assignable.length < open) await this.#createHits(listing, open - assignable.length)
    // Expire the newest extras first; a worker who accepts one meanwhile may still finish it.
    for (const hit of assignable.slice(open).reverse()) await this.#expire(hit)
  }

  async close(listing: ListingRecord): Promise<void> {
    const now = this.#context.clock.now()
    for (const hit of await this.#runHits(detailsOf(listing).runId)) {
      if (isLive(hit, now)) await this.#expire(hit)
    }
  }

  async cleanUpOrphans(knownListingIds: readonly string[]): Promise<number> {
    const known = new Set(knownListingIds)
    const now = this.#context.clock.now()
    const orphans: HIT[] = []
    for await (const hit of this.#allHits()) {
      if (isFaustHit(hit) && isLive(hit, now) && !known.has(hit.HITTypeId ?? '')) orphans.push(hit)
    }
    for (const hit of orphans) {
      this.#context.logger.warn(
        { hitId: hit.HITId, annotation: hit.RequesterAnnotation },
        'expiring an MTurk HIT of a run nobody knows',
      )
      await this.#expire(hit)
    }
    return orphans.length
  }

  async *listAttempts(
    listing: ListingRecord,
    known: readonly ProviderIdentity[] = [],
  ): AsyncIterable<ProviderAttempt> {
    for (const hit of await this.#runHits(detailsOf(listing).runId)) {
      const listed = new Set<string>()
      for await (const attempt of this.#listedAttempts(hit)) {
        listed.add(attempt.attemptId)
        yield attempt
      }
      yield* inferredAttempts(hit, known, listed)
    }
  }

  async *#listedAttempts(hit: HIT): AsyncIterable<ProviderAttempt> {
    const pages = paginateListAssignmentsForHIT(
      { client: this.#context.client, pageSize: 100 },
      { HITId: hit.HITId, AssignmentStatuses: ['Submitted', 'Approved', 'Rejected'] },
    )
    try {
      for await (const page of pages) {
        for (const assignment of page.Assignments ?? []) {
          const attempt = attemptOf(assignment)
          if (attempt?.status === 'unknown') {
            this.#context.logger.warn({ attempt }, 'MTurk assignment status unknown to Faust')
          }
          if (attempt !== null) yield attempt
        }
      }
    } catch (error) {
      throw mturkError('ListAssignmentsForHIT', error)
    }
  }

  async *#allHits(): AsyncIterable<HIT> {
    try {
      for await (const page of paginateListHITs(
        { client: this.#context.client, pageSize: 100 },
        {},
      )) {
        yield* page.HITs ?? []
      }
    } catch (error) {
      throw mturkError('ListHITs', error)
    }
  }

  async #runHits(runId: string): Promise<HIT[]> {
    const annotation = runAnnotation(runId)
    const hits: HIT[] = []
    for await (const hit of this.#allHits())
      if (hit.RequesterAnnotation === annotation) hits.push(hit)
    return hits
  }

  #expire(hit: HIT): Promise<unknown> {
    const command = new UpdateExpirationForHITCommand({ HITId: hit.HITId, ExpireAt: EXPIRED })
    return call('UpdateExpirationForHIT', () => this.#context.client.send(command))
  }

  async #createHits(listing: ListingRecord, count: number): Promise<void> {
    const details = detailsOf(listing)
    for (let i = 0; i < count; i += 1) {
      const command = new CreateHITWithHITTypeCommand({
        HITTypeId: listing.listingId,
        // One assignment per HIT: MTurk's commission doubles at 10 or more.
        MaxAssignments: 1,
        LifetimeInSeconds: details.lifetimeSeconds,
        Question: externalQuestion(details.pageUrl),
        RequesterAnnotation: runAnnotation(details.runId),
      })
      await call('CreateHITWithHITType', () => this.#context.client.send(command))
    }
  }

  async #createHitType(request: PublishRequest, blockedTypeId: string | null): Promise<string> {
    const requirements: QualificationRequirement[] =
      blockedTypeId === null
        ? []
        : [
            {
              QualificationTypeId: blockedTypeId,
              Comparator: 'DoesNotExist',
              ActionsGuarded: 'DiscoverPreviewAndAccept',
            },
          ]
    const command = new CreateHITTypeCommand({
      Title: request.title,
      Description: request.description,
      // MTurk hands back an existing HIT type when every field matches; the
      // run's own keyword keeps one HIT type per run, so a listing id names
      // one run (cleanUpOrphans relies on it).
      Keywords: [...request.keywords, `faust-run-${request.runId}`].join(', '),
      Reward: centsToDollars(request.rewardCents),
      AssignmentDurationInSeconds: Math.max(30, Math.round(request.maxMinutes * 60)),
      AutoApprovalDelayInSeconds: this.#context.autoApprovalDelaySeconds,
      QualificationRequirements: requirements,
    })
    const created = await call('CreateHITType', () => this.#context.client.send(command))
    if (created.HITTypeId === undefined) {
      throw new ProviderError(
        'PROVIDER_RESPONSE_INVALID',
        'MTurk CreateHITType: no HITTypeId in the answer',
      )
    }
    return created.HITTypeId
  }

  /** Soft blocks (Mephisto's way): a qualification the HIT type requires absent, not an account-level block. */
  async #blockBeforehand(blockedWorkerIds: readonly string[]): Promise<string | null> {
    if (blockedWorkerIds.length === 0) return null
    const typeId = await this.#context.qualifications.idOf(MTURK_BLOCKED_QUALIFICATION)
    for (const workerId of blockedWorkerIds) {
      const command = new AssociateQualificationWithWorkerCommand({
        QualificationTypeId: typeId,
        WorkerId: workerId,
        IntegerValue: 1,
        SendNotification: false,
      })
      await call('AssociateQualificationWithWorker', () => this.#context.client.send(command))
    }
    return typeId
  }
}
