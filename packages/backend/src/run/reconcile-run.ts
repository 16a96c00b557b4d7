import { AgentStatus, FINAL_AGENT_STATUSES, systemClock, type Clock } from '@faust/protocol'
import {
  AttemptStatus,
  type ListingRecord,
  type ProviderAttempt,
  type ProviderPlatform,
} from '../providers/provider-platform.js'
import type { AgentRecord } from '../store/agents-repository.js'
import type { ProviderAttemptRow } from '../store/provider-records-repository.js'
import type { Store } from '../store/store.js'
import { silentLogger, type BackendLogger } from '../util/logger.js'
import { sendRecordedAction } from './provider-actions.js'

/** What reconciliation found (docs/providers.md, "Reconciliation"). */
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

/** One finding; `applied` when a repair was made (false for flags and in a dry run). */
export interface ReconcileEvent {
  readonly kind: ReconcileEventKind
  readonly agentId: string | null
  readonly attemptId: string | null
  readonly detail: string
  readonly applied: boolean
}

/** One reconciliation pass. */
export interface ReconcileReport {
  readonly runId: string
  /** Attempts the platform listed. */
  readonly attempts: number
  readonly events: readonly ReconcileEvent[]
  readonly dryRun: boolean
}

/** Takes a unit back from an agent whose worker left on the platform; true if it did. */
export type FreeAgent = (
  agentId: string,
  status: typeof AgentStatus.RETURNED | typeof AgentStatus.TIMEOUT,
) => Promise<boolean>

/** What {@link reconcileRun} needs. */
export interface ReconcileInput {
  readonly store: Store
  readonly platform: ProviderPlatform
  readonly taskRunId: string
  /** Decide and report only: nothing is written and nothing is sent. */
  readonly dryRun: boolean
  readonly clock?: Clock | undefined
  readonly logger?: BackendLogger | undefined
  /**
   * How to free a unit. A live run passes its own (through the runner, so
   * the page and the router hear); the default is a guarded store update.
   */
  readonly freeAgent?: FreeAgent | undefined
  /** A live run's open-places check: true when it had to set them again. */
  readonly repairPlaces?: (() => Promise<boolean>) | undefined
  /** How long an attempt may stay active on the platform after Faust stored its work. @default 600000 */
  readonly handInGraceMs?: number | undefined
}

const DEFAULT_GRACE_MS = 10 * 60_000

// Platform statuses meaning the worker handed in there.
const HANDED_IN: ReadonlySet<string> = new Set([
  AttemptStatus.SUBMITTED,
  AttemptStatus.APPROVED,
  AttemptStatus.REJECTED,
])

// Flags (findings with no repair) are written once per attempt and kind:
// a later pass that sees the same drift adds nothing.

/**
 * Compares the platform's attempts with the run's agents and repairs the
 * drift (docs/providers.md, "Reconciliation"): a returned or timed-out
 * attempt frees its unit, a platform decision the unit lacks is copied,
 * pending money calls are sent again under their key, an ended run's open
 * listing is closed; what cannot be repaired safely is flagged. Idempotent:
 * a pass that finds nothing new writes nothing.
 */
export async function reconcileRun(input: ReconcileInput): Promise<ReconcileReport> {
  const pass = new ReconcilePass(input)
  return pass.run()
}

class ReconcilePass {
  readonly #input: ReconcileInput
  readonly #events: ReconcileEvent[] = []
  readonly #flagged = new Set<string>()
  readonly #logger: BackendLogger
  readonly #clock: Clock

  constructor(input: ReconcileInput) {
    this.#input = input
    this.#logger = input.logger ?? silentLogger
    this.#clock = input.clock ?? systemClock
  }

  async run(): Promise<ReconcileReport> {
    const { store, taskRunId, dryRun } = this.#input
    const row = await store.providerRecords.getListing(taskRunId)
    const report = (attempts: number): ReconcileReport => ({
      runId: taskRunId,
      attempts,
      events: this.#events,
      dryRun,
    })
    if (row?.listingId == null) return report(0)
    const listing = { listingId: row.listingId, sandbox: row.sandbox, details: row.details }
    for (const event of await store.providerRecords.listEvents(taskRunId))
      if (!event.dryRun) this.#flagged.add(`${event.kind}:${event.attemptId ?? ''}`)
    const rows = await store.providerRecords.listAttempts(taskRunId)
    const known = new Map(rows.map((a) => [a.attemptId, a]))
    // The attempts Faust registered: MTurk lists no assignment in progress,
    // so it infers theirs (active or returned) from these.
    const identities = rows.map((a) => ({
      workerId: a.providerWorkerId,
      attemptId: a.attemptId,
      placeId: a.placeId,
    }))
    let attempts = 0
    for await (const attempt of this.#input.platform.listAttempts(listing, identities)) {
      attempts += 1
      await this.#attempt(attempt, known.get(attempt.attemptId) ?? null)
    }
    await this.#pendingActions()
    await this.#places()
    if (row.state !== 'closed') await this.#closeIfEnded(listing)
    return report(attempts)
  }

  async #attempt(attempt: ProviderAttempt, row: ProviderAttemptRow | null): Promise<void> {
    const { store, dryRun, taskRunId, platform } = this.#input
    const stored = row ?? (await this.#link(attempt))
    if (!dryRun && stored !== null && stored.providerStatus !== attempt.providerStatus) {
      await store.providerRecords.updateAttemptStatus({
        providerType: platform.type,
        attemptId: attempt.attemptId,
        status: attempt.status,
        providerStatus: attempt.providerStatus,
      })
    }
    if (attempt.status === AttemptStatus.UNKNOWN) {
      this.#logger.warn(
        { attemptId: attempt.attemptId, providerStatus: attempt.providerStatus },
        'unknown platform status: left alone',
      )
      await this.#flag('unknown_status', attempt, {
        agentId: stored?.agentId ?? null,
        detail: attempt.providerStatus,
      })
      return
    }
    const agent = stored?.agentId == null ? null : await store.agents.get(stored.agentId)
    if (agent?.taskRunId !== taskRunId) {
      const kind = HANDED_IN.has(attempt.status) ? 'submission_without_data' : 'unknown_attempt'
      await this.#flag(kind, attempt, {
        agentId: null,
        detail: `no agent; platform status ${attempt.providerStatus}`,
      })
      return
    }
    await this.#compare(attempt, agent)
  }

  /** An attempt not recorded at registration (onboarding path, or a row lost): linked by its registration id. */
  async #link(attempt: ProviderAttempt): Promise<ProviderAttemptRow | null> {
    const { store, taskRunId, dryRun, platform } = this.#input
    const agent = await store.agents.findByRegistration({
      taskRunId,
      registrationId: attempt.attemptId,
    })
    const row = {
      providerType: platform.type,
      attemptId: attempt.attemptId,
      agentId: agent?.id ?? null,
      taskRunId,
      providerWorkerId: attempt.workerId,
      placeId: attempt.placeId,
    }
    if (!dryRun) await store.providerRecords.recordAttempt(row)
    return { ...row, status: null, providerStatus: null, checkedAt: null }
  }

  async #compare(attempt: ProviderAttempt, agent: AgentRecord): Promise<void> {
    const { store } = this.#input
    const gone =
      attempt.status === AttemptStatus.RETURNED || attempt.status === AttemptStatus.TIMED_OUT
    if (gone && !FINAL_AGENT_STATUSES.has(agent.status)) {
      await this.#free(attempt, agent)
      return
    }
    const submission = await store.submissions.get(agent.id)
    if (HANDED_IN.has(attempt.status) && submission === null) {
      await this.#flag('submission_without_data', attempt, {
        agentId: agent.id,
        detail: attempt.providerStatus,
      })
      return
    }
    const graceMs = this.#input.handInGraceMs ?? DEFAULT_GRACE_MS
    if (
      attempt.status === AttemptStatus.ACTIVE &&
      submission !== null &&
      this.#clock.now() - submission.submittedAt > graceMs
    ) {
      await this.#flag('stored_not_handed_in', attempt, {
        agentId: agent.id,
        detail: 'stored in Faust, still active',
      })
      return
    }
    const decided =
      attempt.status === AttemptStatus.APPROVED
        ? AgentStatus.APPROVED
        : attempt.status === AttemptStatus.REJECTED
          ? AgentStatus.REJECTED
          : null
    if (decided !== null && agent.status === AgentStatus.COMPLETED) {
      const detail = `unit follows ${attempt.providerStatus}`
      if (this.#input.dryRun)
        this.#add({
          kind: 'review_synced',
          agentId: agent.id,
          attemptId: attempt.attemptId,
          detail: detail,
        })
      else {
        await store.agents.setStatus(agent.id, decided)
        await this.#record({
          kind: 'review_synced',
          agentId: agent.id,
          attemptId: attempt.attemptId,
          detail: detail,
          applied: true,
        })
      }
    }
  }

  async #free(attempt: ProviderAttempt, agent: AgentRecord): Promise<void> {
    const returned = attempt.status === AttemptStatus.RETURNED
    const status = returned ? AgentStatus.RETURNED : AgentStatus.TIMEOUT
    const kind = returned ? 'attempt_returned' : 'attempt_timed_out'
    const detail = `platform ${attempt.providerStatus}; agent was ${agent.status}`
    if (this.#input.dryRun) {
      this.#add({ kind: kind, agentId: agent.id, attemptId: attempt.attemptId, detail: detail })
      return
    }
    const free = this.#input.freeAgent ?? freeInStore(this.#input.store, agent)
    if (await free(agent.id, status)) {
      this.#logger.info({ agentId: agent.id, attemptId: attempt.attemptId }, `${kind}: unit freed`)
      await this.#record({
        kind: kind,
        agentId: agent.id,
        attemptId: attempt.attemptId,
        detail: detail,
        applied: true,
      })
    }
  }

  async #pendingActions(): Promise<void> {
    const { store, taskRunId, platform, dryRun } = this.#input
    for (const action of await store.providerRecords.listActions({
      taskRunId,
      states: ['pending'],
    })) {
      const attempt =
        action.agentId === null
          ? null
          : await store.providerRecords.findAttemptByAgent(action.agentId)
      if (attempt === null) continue
      if (dryRun) {
        this.#add({
          kind: 'action_retried',
          agentId: action.agentId,
          attemptId: attempt.attemptId,
          detail: action.key,
        })
        continue
      }
      const sent = await sendRecordedAction({
        store,
        platform,
        action,
        attempt: {
          workerId: attempt.providerWorkerId,
          attemptId: attempt.attemptId,
          placeId: attempt.placeId,
        },
      })
      const detail = sent.ok ? action.key : `${action.key}: ${sent.code}`
      await this.#record({
        kind: 'action_retried',
        agentId: action.agentId,
        attemptId: attempt.attemptId,
        detail: detail,
        applied: sent.ok,
      })
    }
  }

  async #places(): Promise<void> {
    const repair = this.#input.repairPlaces
    if (repair === undefined || this.#input.dryRun) return
    if (await repair())
      await this.#record({
        kind: 'places_repaired',
        agentId: null,
        attemptId: null,
        detail: 'open places set again',
        applied: true,
      })
  }

  async #closeIfEnded(listing: ListingRecord): Promise<void> {
    const { store, taskRunId, platform, dryRun } = this.#input
    const run = await store.taskRuns.get(taskRunId)
    if (run?.endedAt == null) return
    if (dryRun) {
      this.#add({
        kind: 'listing_closed',
        agentId: null,
        attemptId: null,
        detail: listing.listingId,
      })
      return
    }
    await platform.close(listing)
    await store.providerRecords.setListingState(taskRunId, 'closed')
    await this.#record({
      kind: 'listing_closed',
      agentId: null,
      attemptId: null,
      detail: listing.listingId,
      applied: true,
    })
  }

  async #flag(
    kind: ReconcileEventKind,
    attempt: ProviderAttempt,
    about: { readonly agentId: string | null; readonly detail: string },
  ): Promise<void> {
    const key = `${kind}:${attempt.attemptId}`
    if (this.#flagged.has(key)) return
    this.#flagged.add(key)
    const event = {
      kind,
      agentId: about.agentId,
      attemptId: attempt.attemptId,
      detail: about.detail,
    }
    if (this.#input.dryRun) this.#add({ ...event, applied: false })
    else await this.#record({ ...event, applied: false })
  }

  /** A finding reported (in a dry run: what would be done, nothing written). */
  #add(event: Omit<ReconcileEvent, 'applied'> & { readonly applied?: boolean }): void {
    this.#events.push({ ...event, applied: event.applied ?? !this.#input.dryRun })
  }

  /** A finding reported and written to the audit log. */
  async #record(event: ReconcileEvent): Promise<void> {
    this.#add(event)
    await this.#input.store.providerRecords.addEvent({
      ...event,
      taskRunId: this.#input.taskRunId,
      dryRun: false,
    })
  }
}

/**
 * Offline (no run serving the task): the agent becomes `returned` or
 * `timeout` and its unit is launched again, only if the agent is still in
 * the status it was read in (a guarded update in one transaction).
 */
function freeInStore(store: Store, agent: AgentRecord): FreeAgent {
  return (agentId, status) =>
    store.transaction(async (tx) => {
      const current = await tx.agents.get(agentId)
      if (current?.status !== agent.status) return false
      await tx.agents.setStatus(agentId, status)
      const unit = await tx.units.get(agent.unitId)
      // Made for one worker, a screening or gold unit is never offered to another (as on resume).
      if (unit !== null && unit.unitIndex < 0) await tx.units.expire([unit.id])
      else await tx.units.release({ unitId: agent.unitId, agentId })
      return true
    })
}
