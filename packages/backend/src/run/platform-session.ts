import type { TimerHandle } from '@faust/protocol'
import type { ListingRecord, ProviderPlatform } from '../providers/provider-platform.js'
import { quoteCost, type CostQuote } from '../providers/quote-cost.js'
import type { RunContext } from '../services/context/run-context.js'
import { ProviderError, RunError } from '../util/backend-error.js'
import { reconcileRun, type FreeAgent } from './reconcile-run.js'

/** What a run on a paid platform is given (RunTaskOptions.platform). */
export interface ListingOptions {
  readonly title: string
  readonly description: string
  readonly keywords: readonly string[]
  readonly estimatedMinutes: number
  /** The task page as workers reach it (`--public-url`, else the router's URL). */
  readonly pageUrl: string
}

/** A run's platform, listing and budget. */
export interface RunPlatformOptions {
  readonly platform: ProviderPlatform
  readonly listing: ListingOptions
  /** The code the page hands back on completion: from completionCodeFor(). */
  readonly completionCode: string
  /** @default 0 */
  readonly bonusBudgetCents?: number | undefined
  /** Called once before anything is published (not on a resume that already published); false aborts with RunError PUBLISH_DECLINED. */
  readonly confirmPublish: (quote: CostQuote) => Promise<boolean>
  /** @default 60000; 0 = no loop */
  readonly reconcileEveryMs?: number | undefined
}

const DEFAULT_RECONCILE_MS = 60_000

/**
 * A run's side of its platform listing (docs/providers.md): publishing once
 * (the row is written `publishing` before the call, so a crash mid-publish
 * resumes with the platform's `previous`), keeping the open places equal to
 * the launched units nobody holds, the reconciliation loop, pause, resume
 * and close. Platform failures after the publish are logged with their code
 * and retried on the next change or tick; they never end the run.
 */
export class PlatformSession {
  readonly #ctx: RunContext
  readonly #options: RunPlatformOptions
  readonly #freeAgent: FreeAgent
  #listing: ListingRecord | null = null
  /** The open places the platform last accepted. */
  #sent: number | null = null
  #wanted = 0
  #placing: Promise<void> | null = null
  #timer: TimerHandle | null = null
  #reconciling: Promise<unknown> | null = null
  #stopped = false

  constructor(ctx: RunContext, options: RunPlatformOptions, freeAgent: FreeAgent) {
    this.#ctx = ctx
    this.#options = options
    this.#freeAgent = freeAgent
  }

  get #platform(): ProviderPlatform {
    return this.#options.platform
  }

  /**
   * Cleans up orphans, then publishes (new, or a crash mid-publish) or
   * resumes the open listing; starts the loop. `openPlaces`: the launched
   * units nobody holds right now.
   */
  async start(openPlaces: number): Promise<void> {
    const { store, taskRunId } = this.#ctx
    await this.#cleanUpOrphans()
    const row = await store.providerRecords.getListing(taskRunId)
    if (row?.state === 'open' && row.listingId !== null) {
      this.#listing = { listingId: row.listingId, sandbox: row.sandbox, details: row.details }
      await this.#quietly('resume', () => this.#platform.resume?.(this.#requireListing()))
      this.#wanted = openPlaces
      this.#sync()
    } else if (row?.state !== 'closed') await this.#publish(openPlaces, row !== null)
    this.#startLoop()
  }

  async #publish(places: number, started: boolean): Promise<void> {
    const { store, taskRunId, task } = this.#ctx
    const options = this.#options
    const platform = this.#platform
    if (!started) {
      const units = (await store.units.list({ taskRunId })).filter((u) => u.unitIndex >= 0).length
      const quote = quoteCost({
        fees: platform.fees,
        currency: platform.currency,
        units,
        rewardCents: Math.round(task.pay * 100),
        bonusBudgetCents: options.bonusBudgetCents ?? 0,
      })
      if (!(await options.confirmPublish(quote)))
        throw new RunError('PUBLISH_DECLINED', 'publishing was declined; nothing was published')
    }
    const previousRow = await store.providerRecords.startPublishing({
      taskRunId,
      providerType: platform.type,
      sandbox: platform.sandbox,
      completionCode: options.completionCode,
    })
    const previous =
      previousRow.listingId === null
        ? null
        : {
            listingId: previousRow.listingId,
            sandbox: previousRow.sandbox,
            details: previousRow.details,
          }
    const listing = await platform.publish(await this.#request(places), previous)
    await store.providerRecords.savePublished(taskRunId, listing)
    this.#listing = listing
    this.#sent = places
    this.#wanted = places
  }

  async #request(places: number): Promise<Parameters<ProviderPlatform['publish']>[0]> {
    const { task, taskRunId, store } = this.#ctx
    const { listing, completionCode } = this.#options
    const suffix = this.#platform.sandbox && this.#platform.type === 'mturk' ? '_sandbox' : ''
    const blocked = (await store.qualifications.listForQualification(task.blockQualification))
      .filter((grant) => grant.providerType === this.#platform.type)
      .map((grant) => grant.workerName.slice(0, grant.workerName.length - suffix.length))
    return {
      runId: taskRunId,
      taskName: task.name,
      title: listing.title,
      description: listing.description,
      keywords: listing.keywords,
      rewardCents: Math.round(task.pay * 100),
      places,
      estimatedMinutes: listing.estimatedMinutes,
      maxMinutes: Math.ceil(task.assignmentDurationSeconds / 60),
      pageUrl: listing.pageUrl,
      completionCode,
      blockedWorkerIds: blocked,
    }
  }

  async #cleanUpOrphans(): Promise<void> {
    const cleanUp = this.#platform.cleanUpOrphans?.bind(this.#platform)
    if (cleanUp === undefined) return
    const live = await this.#ctx.store.providerRecords.listLiveListings(this.#platform.type)
    // Run ids too: a platform that tags its listings with the run (MTurk's
    // RequesterAnnotation) must recognise this run's before it is published.
    const known = [
      this.#ctx.taskRunId,
      ...live.flatMap((row) =>
        row.listingId === null ? [row.taskRunId] : [row.listingId, row.taskRunId],
      ),
    ]
    await this.#quietly('cleanUpOrphans', () => cleanUp(known))
  }

  /** The launched units nobody holds changed: the platform follows, one call at a time. */
  placesChanged(open: number): void {
    this.#wanted = open
    this.#sync()
  }

  #sync(): void {
    if (this.#placing !== null || this.#listing === null || this.#stopped) return
    if (this.#sent === this.#wanted) return
    const listing = this.#listing
    const wanted = this.#wanted
    const grew = this.#sent !== null && wanted > this.#sent
    this.#placing = this.#platform
      .setOpenPlaces(listing, wanted)
      // Prolific pauses a full study itself when a place in it comes free;
      // a place the run offers again must be takeable (resume leaves a study
      // that is not paused alone).
      .then(async () => {
        if (grew) await this.#platform.resume?.(listing)
      })
      .then(
        () => {
          this.#sent = wanted
        },
        (error: unknown) => {
          this.#logFailure('setOpenPlaces', error)
        },
      )
      .finally(() => {
        this.#placing = null
        // A change while the call was out is sent now; a failure waits for the next change or tick.
        if (this.#sent === wanted) this.#sync()
      })
  }

  /** For reconciliation: true when the places had to be set again (a failed or missed call). */
  async repairPlaces(): Promise<boolean> {
    await this.#placing
    if (this.#listing === null || this.#sent === this.#wanted) return false
    this.#sync()
    await this.#placing
    return this.#sent === this.#wanted
  }

  /** Settles what is in flight (tests; before closing). */
  async settled(): Promise<void> {
    await this.#placing
    await this.#reconciling
  }

  /** One reconciliation pass now (the loop's tick). */
  reconcile(): Promise<unknown> {
    this.#reconciling ??= reconcileRun({
      store: this.#ctx.store,
      platform: this.#platform,
      taskRunId: this.#ctx.taskRunId,
      dryRun: false,
      clock: this.#ctx.clock,
      logger: this.#ctx.logger,
      freeAgent: this.#freeAgent,
      repairPlaces: () => this.repairPlaces(),
    })
      .catch((error: unknown) => {
        this.#logFailure('reconcile', error)
      })
      .finally(() => {
        this.#reconciling = null
      })
    return this.#reconciling
  }

  #startLoop(): void {
    const every = this.#options.reconcileEveryMs ?? DEFAULT_RECONCILE_MS
    if (every <= 0) return
    this.#timer = this.#ctx.clock.setInterval(() => {
      if (!this.#stopped) void this.reconcile()
    }, every)
  }

  async #stopLoop(): Promise<void> {
    this.#stopped = true
    if (this.#timer !== null) this.#ctx.clock.clearInterval(this.#timer)
    this.#timer = null
    await this.settled()
  }

  /** The run ended: no new workers; the listing is closed. */
  async close(): Promise<void> {
    await this.#stopLoop()
    const listing = this.#listing
    if (listing === null) return
    const closed = await this.#quietly('close', () => this.#platform.close(listing))
    // Left 'open' on failure: the next start's orphan clean-up, or `faust reconcile`, closes it.
    if (closed) await this.#ctx.store.providerRecords.setListingState(this.#ctx.taskRunId, 'closed')
  }

  /** The run is paused (to be resumed): the platform stops taking workers meanwhile. */
  async pause(): Promise<void> {
    await this.#stopLoop()
    const listing = this.#listing
    if (listing !== null) await this.#quietly('pause', () => this.#platform.pause?.(listing))
  }

  #requireListing(): ListingRecord {
    if (this.#listing === null) throw new Error('no listing')
    return this.#listing
  }

  async #quietly(call: string, fn: () => Promise<unknown> | undefined): Promise<boolean> {
    try {
      await fn()
      return true
    } catch (error) {
      this.#logFailure(call, error)
      return false
    }
  }

  #logFailure(call: string, error: unknown): void {
    this.#ctx.logger.warn(
      {
        call,
        code: error instanceof ProviderError ? error.code : undefined,
        err: error instanceof Error ? error.message : String(error),
      },
      'platform call failed; retried on the next change or reconciliation tick',
    )
  }
}
