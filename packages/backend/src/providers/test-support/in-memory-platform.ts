// A test double of a paid crowd platform (ProviderPlatform) held in memory,
// with the attempt state machine the run-side code relies on: places taken
// become active attempts, which are submitted, returned, timed out, approved
// or rejected. Not shipped; the real platforms' HTTP fakes live in
// @faust/testing/fakes. Failures are injected per method.
import type { ProviderData } from '@faust/protocol'
import {
  AttemptStatus,
  type ActionRequest,
  type ListingRecord,
  type PlatformFees,
  type ProviderAttempt,
  type ProviderIdentity,
  type ProviderPlatform,
  type PublishRequest,
} from '../provider-platform.js'
import { ProviderError } from '../../util/backend-error.js'

/** One recorded call: method name and its main argument. */
export interface PlatformCall {
  readonly method: string
  readonly arg: unknown
}

type Failing =
  'publish' | 'setOpenPlaces' | 'close' | 'approve' | 'reject' | 'bonus' | 'listAttempts'

export class InMemoryPlatform implements ProviderPlatform {
  readonly type: string
  readonly sandbox: boolean
  readonly currency = 'USD'
  readonly fees: PlatformFees = { rewardRate: 0.2, bonusRate: 0.2 }
  readonly calls: PlatformCall[] = []
  readonly attempts = new Map<string, { attempt: ProviderAttempt; money: string[] }>()
  readonly listings = new Map<string, { state: 'open' | 'paused' | 'closed'; places: number }>()
  readonly #failures = new Map<Failing, ProviderError[]>()
  readonly byRun = new Map<string, string>()
  /** publish creates the listing and never answers (the process dies mid-call). */
  hangPublish = false
  /** setOpenPlaces waits for this (a slow platform), when set. */
  placesGate: Promise<void> | null = null
  #nextListing = 1

  constructor(options: { type?: string; sandbox?: boolean } = {}) {
    this.type = options.type ?? 'prolific'
    this.sandbox = options.sandbox ?? false
  }

  /** The next call of `method` throws `error` (queued). */
  failNext(method: Failing, error: ProviderError = unavailable()): void {
    const queue = this.#failures.get(method) ?? []
    queue.push(error)
    this.#failures.set(method, queue)
  }

  callsOf(method: string): PlatformCall[] {
    return this.calls.filter((call) => call.method === method)
  }

  /** A worker takes a place: the provider data a page on this platform would send. */
  take(listingId: string, workerId: string, attemptId = `att-${workerId}`): ProviderData {
    this.attempts.set(attemptId, {
      attempt: {
        workerId,
        attemptId,
        placeId: listingId,
        status: AttemptStatus.ACTIVE,
        providerStatus: 'ACTIVE',
      },
      money: [],
    })
    return {
      worker_name: workerId,
      agent_registration_id: attemptId,
      attempt_id: attemptId,
      place_id: listingId,
    }
  }

  /** Drift injection: the platform's view of an attempt changes. */
  setStatus(attemptId: string, status: AttemptStatus, providerStatus: string = status): void {
    const entry = this.#entry(attemptId)
    entry.attempt = { ...entry.attempt, status, providerStatus }
  }

  wrapCrowdSourceScript(completionCode: string): string {
    return `/* in-memory platform: ${completionCode} */`
  }

  identify(providerData: ProviderData): ProviderIdentity | null {
    const attemptId = providerData['attempt_id']
    const placeId = providerData['place_id']
    if (typeof attemptId !== 'string' || typeof placeId !== 'string') return null
    return { workerId: providerData.worker_name, attemptId, placeId }
  }

  async publish(request: PublishRequest, previous: ListingRecord | null): Promise<ListingRecord> {
    this.#record('publish', { places: request.places, previous: previous?.listingId ?? null })
    this.#maybeFail('publish')
    if (previous !== null && this.listings.has(previous.listingId)) return previous
    // Like the real platforms (MTurk's RequesterAnnotation, Prolific's
    // internal name), a listing is found again by its run after a crash.
    const existing = this.byRun.get(request.runId)
    if (existing !== undefined) return { listingId: existing, sandbox: this.sandbox, details: {} }
    const listingId = `L${String(this.#nextListing++)}`
    this.listings.set(listingId, { state: 'open', places: request.places })
    this.byRun.set(request.runId, listingId)
    if (this.hangPublish) return new Promise(() => undefined)
    return Promise.resolve({ listingId, sandbox: this.sandbox, details: { runId: request.runId } })
  }

  async setOpenPlaces(listing: ListingRecord, open: number): Promise<void> {
    this.#record('setOpenPlaces', open)
    this.#maybeFail('setOpenPlaces')
    await this.placesGate
    this.#listing(listing).places = open
  }

  async pause(listing: ListingRecord): Promise<void> {
    this.#record('pause', listing.listingId)
    this.#listing(listing).state = 'paused'
    return Promise.resolve()
  }

  async resume(listing: ListingRecord): Promise<void> {
    this.#record('resume', listing.listingId)
    this.#listing(listing).state = 'open'
    return Promise.resolve()
  }

  async close(listing: ListingRecord): Promise<void> {
    this.#record('close', listing.listingId)
    this.#maybeFail('close')
    this.#listing(listing).state = 'closed'
    return Promise.resolve()
  }

  async cleanUpOrphans(known: readonly string[]): Promise<number> {
    this.#record('cleanUpOrphans', known)
    return Promise.resolve(0)
  }

  async *listAttempts(listing: ListingRecord): AsyncIterable<ProviderAttempt> {
    this.#record('listAttempts', listing.listingId)
    this.#maybeFail('listAttempts')
    for (const { attempt } of [...this.attempts.values()]) {
      if (attempt.placeId === listing.listingId) yield await Promise.resolve(attempt)
    }
  }

  async approve(attempt: ProviderIdentity, request: ActionRequest): Promise<void> {
    this.#record('approve', { attemptId: attempt.attemptId, key: request.key })
    this.#maybeFail('approve')
    this.#decide(attempt.attemptId, AttemptStatus.APPROVED, 'APPROVED')
    return Promise.resolve()
  }

  async reject(
    attempt: ProviderIdentity,
    request: ActionRequest & { reason: string; category?: string | undefined },
  ): Promise<void> {
    this.#record('reject', { attemptId: attempt.attemptId, ...request })
    this.#maybeFail('reject')
    this.#decide(attempt.attemptId, AttemptStatus.REJECTED, 'REJECTED')
    return Promise.resolve()
  }

  async bonus(
    attempt: ProviderIdentity,
    request: ActionRequest & { amountCents: number; reason: string },
  ): Promise<void> {
    this.#record('bonus', { attemptId: attempt.attemptId, ...request })
    this.#maybeFail('bonus')
    this.#entry(attempt.attemptId).money.push(request.key)
    return Promise.resolve()
  }

  async setQualification(workerId: string, name: string, value: number | null): Promise<void> {
    this.#record('setQualification', { workerId, name, value })
    return Promise.resolve()
  }

  async block(workerId: string): Promise<void> {
    this.#record('block', workerId)
    return Promise.resolve()
  }

  async unblock(workerId: string): Promise<void> {
    this.#record('unblock', workerId)
    return Promise.resolve()
  }

  // A decision is allowed on a submitted attempt only, as both platforms do.
  #decide(attemptId: string, status: AttemptStatus, providerStatus: string): void {
    const entry = this.#entry(attemptId)
    if (entry.attempt.status !== AttemptStatus.SUBMITTED)
      throw new ProviderError(
        'PROVIDER_CONFLICT',
        `attempt ${attemptId} is ${entry.attempt.status}`,
      )
    entry.attempt = { ...entry.attempt, status, providerStatus }
  }

  #entry(attemptId: string): { attempt: ProviderAttempt; money: string[] } {
    const entry = this.attempts.get(attemptId)
    if (entry === undefined)
      throw new ProviderError('PROVIDER_NOT_FOUND', `no attempt ${attemptId}`)
    return entry
  }

  #listing(listing: ListingRecord): { state: 'open' | 'paused' | 'closed'; places: number } {
    const found = this.listings.get(listing.listingId)
    if (found === undefined)
      throw new ProviderError('PROVIDER_NOT_FOUND', `no listing ${listing.listingId}`)
    return found
  }

  #record(method: string, arg: unknown): void {
    this.calls.push({ method, arg })
  }

  #maybeFail(method: Failing): void {
    const error = this.#failures.get(method)?.shift()
    if (error !== undefined) throw error
  }
}

/** A platform still unavailable after its retries. */
export function unavailable(): ProviderError {
  return new ProviderError('PROVIDER_UNAVAILABLE', 'platform unavailable (test)', { status: 503 })
}
