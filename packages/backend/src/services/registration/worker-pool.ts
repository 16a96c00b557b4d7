import { AgentStatus, FINAL_AGENT_STATUSES, type ProviderData } from '@faust/protocol'
import { parseSubjectId, toSubjectId } from '../../store/agent-ref.js'
import type { AgentRecord, ProviderAttemptLink } from '../../store/agents-repository.js'
import type { UnitRecord } from '../../store/units-repository.js'
import { UnitStatus } from '../../store/unit-status.js'
import type { Repositories } from '../../store/repositories.js'
import type { WorkerIdentity, WorkerRecord } from '../../store/workers-repository.js'
import { setOnboardingStatus } from '../context/agent-statuses.js'
import type { RunContext } from '../context/run-context.js'
import { runHook } from '../../util/run-hook.js'
import type { AgentStarter } from './agent-starter.js'
import { BoundedMap } from '../../util/bounded-map.js'
import { Eligibility } from './eligibility.js'
import { KeyedQueue } from '../../util/keyed-queue.js'
import type { QualityControl } from '../quality/quality-control.js'
import { isRegistrationOwner } from './registration-owner.js'
import {
  granted,
  refused,
  type AgentDetailsData,
  type RegistrationResult,
} from '../../link/registration-answer.js'

/** A platform attempt, when the provider is a paid platform (exactOptionalPropertyTypes: may be undefined). */
type AttemptLink = ProviderAttemptLink | undefined

/** Launchable units read per page while looking for one to reserve. */
const CANDIDATE_PAGE = 32

/** Unit statuses from which a unit may still be given to a worker (launched, or released back). */
const OPEN_UNIT_STATUSES: readonly UnitStatus[] = [
  UnitStatus.CREATED,
  UnitStatus.LAUNCHED,
  UnitStatus.ASSIGNED,
]

/** Onboarding verdicts remembered for repeated submits. */
const KNOWN_VERDICTS = 10_000

/** Workers remembered by name; a worker row never changes once created. */
const KNOWN_WORKERS = 10_000

// Agents in these statuses lost their unit: a reload must not hand the unit
// (now possibly someone else's) back (Mephisto's defect W15, docs/protocol.md).
const GONE: ReadonlySet<AgentStatus> = new Set([
  AgentStatus.DISCONNECT,
  AgentStatus.TIMEOUT,
  AgentStatus.EXPIRED,
  AgentStatus.RETURNED,
])

/**
 * Registers workers into agents, in the reference's order (docs/protocol.md §4.2): worker
 * lookup, local qualifications, `allowedConcurrent`, `maximumUnitsPerWorker`,
 * launchable units, `workerCanDoUnit`, onboarding, then the reservation (one
 * guarded transaction per unit, so no unit is given twice). Unlike the
 * reference, a worker over a limit is told which one.
 */
export class WorkerPool {
  readonly #ctx: RunContext
  readonly #starter: AgentStarter
  readonly #queue = new KeyedQueue()
  // Kept after the verdict so a repeated submit (double click, retry) gets the
  // same answer; bounded, as every onboarding agent of a run would add one.
  readonly #onboardingVerdicts = new BoundedMap<string, Promise<RegistrationResult>>(KNOWN_VERDICTS)
  readonly #workers = new Map<string, WorkerRecord>()

  readonly #eligibility: Eligibility
  readonly #quality: QualityControl | null

  /** `quality`: the run's screening and golds, if the task has them (it routes registrations). */
  constructor(ctx: RunContext, starter: AgentStarter, quality: QualityControl | null = null) {
    this.#ctx = ctx
    this.#starter = starter
    this.#quality = quality
    this.#eligibility = new Eligibility(ctx, quality)
  }

  /** Sizes of the per-agent state, for tests and diagnostics. */
  stats(): { readonly onboardingVerdicts: number; readonly knownWorkers: number } {
    return { onboardingVerdicts: this.#onboardingVerdicts.size, knownWorkers: this.#workers.size }
  }

  /** `register_agent`: a page asks for work. */
  register(providerData: ProviderData, requestId: string): Promise<RegistrationResult> {
    const { provider, task, store } = this.#ctx
    const identity = { providerType: provider.type, workerName: provider.workerName(providerData) }
    const attempt = this.#attemptOf(providerData)
    if (attempt === null) {
      // A paid platform's registration without its ids could never be paid
      // or reconciled: opened outside the platform (a copied link).
      this.#ctx.logger.warn(
        { providerType: provider.type, workerName: identity.workerName },
        'registration without the platform ids refused',
      )
      return Promise.resolve({
        details: refused({ requestId, workerId: null, reason: 'NOT_QUALIFIED' }),
      })
    }
    const request = { requestId, registrationId: providerData.agent_registration_id, attempt }
    return this.#queue.run(identity.workerName, () =>
      // With no task code to call on the way, a registration is database work
      // only: all of it runs as one job of a group commit, reads included, so
      // a burst of registrations shares a transaction and a commit, and the
      // page is answered once its agent is stored.
      // (A screening or gold unit may be owed first: that path decides.)
      task.onboarding === undefined && task.workerCanDoUnit === undefined && this.#quality === null
        ? store.batched((tx) => this.#registerPlain(tx, identity, request))
        : this.#registerWithHooks(identity, request),
    )
  }

  /** The platform attempt to link to the agent; undefined for the mock provider, null when the ids are missing. */
  #attemptOf(providerData: ProviderData): ProviderAttemptLink | undefined | null {
    const { provider } = this.#ctx
    if (provider.identify === undefined) return undefined
    const found = provider.identify(providerData)
    if (found === null) return null
    return {
      providerType: provider.type,
      attemptId: found.attemptId,
      providerWorkerId: found.workerId,
      placeId: found.placeId,
    }
  }

  /** The reference's order (docs/protocol.md §4.2) when no onboarding or `workerCanDoUnit` applies. */
  async #registerPlain(
    db: Repositories,
    identity: WorkerIdentity,
    request: { requestId: string; registrationId: string; attempt?: AttemptLink },
  ): Promise<RegistrationResult> {
    const { requestId } = request
    const again = await this.#reconnect(db, identity, request)
    if (again !== null) return { details: again }
    const known = await this.#knownWorker(db, identity)
    const unqualified = await this.#eligibility.refusal(db, known)
    if (unqualified !== null) {
      return { details: refused({ requestId, workerId: null, reason: unqualified }) }
    }
    // A worker seen for the first time has no unit anywhere: no limit applies.
    const worker = known ?? (await db.workers.findOrCreate(identity))
    const limit = known === null ? null : await this.#eligibility.limitReached(db, worker.id)
    if (limit !== null)
      return { details: refused({ requestId, workerId: worker.id, reason: limit }) }
    const reservation = await this.#reserveNext(db, worker, request)
    return this.#answerReservation(db, { workerId: worker.id, requestId }, reservation)
  }

  /** Registration when onboarding or `workerCanDoUnit` (task code) takes part. */
  async #registerWithHooks(
    identity: WorkerIdentity,
    request: { requestId: string; registrationId: string; attempt?: AttemptLink },
  ): Promise<RegistrationResult> {
    const { store } = this.#ctx
    const { requestId } = request
    const again = await this.#reconnect(store, identity, request)
    if (again !== null) return { details: again }
    const known = await this.#knownWorker(store, identity)
    // A screening or gold verdict being written may block this worker.
    await this.#quality?.settled()
    const unqualified = await this.#eligibility.refusal(store, known)
    if (unqualified !== null) {
      return { details: refused({ requestId, workerId: null, reason: unqualified }) }
    }
    const worker = known ?? (await this.#createWorker(identity))
    return this.#assign(worker, { ...request, onboarding: true })
  }

  /** `submit_onboarding`: validates, grants, and on a pass assigns a real unit. */
  submitOnboarding(
    subjectId: string,
    answers: unknown,
    requestId: string,
  ): Promise<RegistrationResult> {
    const ref = parseSubjectId(subjectId)
    const pending = this.#onboardingVerdicts.get(ref.id)
    // A repeated submit (double click) gets the same verdict, addressed to its own request.
    if (pending !== undefined) {
      return pending.then((result) => ({ details: { ...result.details, request_id: requestId } }))
    }
    const verdict = this.#judgeOnboarding(ref, answers, requestId)
    this.#onboardingVerdicts.set(ref.id, verdict)
    // A verdict that failed (the answers could not be stored: a full disk) is
    // forgotten, so that the page's retry is judged again.
    verdict.catch(() => {
      if (this.#onboardingVerdicts.get(ref.id) === verdict) this.#onboardingVerdicts.delete(ref.id)
    })
    return verdict
  }

  async #judgeOnboarding(
    ref: ReturnType<typeof parseSubjectId>,
    answers: unknown,
    requestId: string,
  ): Promise<RegistrationResult> {
    const { store, task, taskRunId, logger } = this.#ctx
    const record = ref.kind === 'onboarding' ? await store.onboardingAgents.get(ref.id) : null
    const onboarding = task.onboarding
    // `waiting` without stored answers: an earlier submit failed to store them.
    const open =
      record?.status === AgentStatus.ONBOARDING ||
      (record?.status === AgentStatus.WAITING && !record.submitted)
    if (record?.taskRunId !== taskRunId || !open || onboarding === undefined) {
      // The reference leaves the page waiting forever here (docs/protocol.md W4); the page is told instead.
      return {
        details: refused({ requestId, workerId: record?.workerId ?? null, reason: 'TASK_MISSING' }),
      }
    }
    const worker = await store.workers.get(record.workerId)
    if (worker === null)
      return { details: refused({ requestId, workerId: null, reason: 'TASK_MISSING' }) }
    return this.#queue.run(worker.workerName, async () => {
      this.#starter.stopOnboardingDeadline(record.id)
      await setOnboardingStatus(this.#ctx, record.id, AgentStatus.WAITING)
      // Synced, as a submission: the page's answer (`agent_details`) leaves after this.
      await store.durably(() => store.onboardingAgents.storeOutputs(record.id, answers))
      const verdict = await runHook(logger, 'onboarding.validate', () =>
        onboarding.validate({ inputs: record.initData, outputs: answers }),
      )
      // Truthy passes, as in the reference; a throw (undefined) fails.
      const passed = Boolean(verdict)
      const name = onboarding.qualificationName
      await store.qualifications.grant({ name, workerId: worker.id, value: passed ? 1 : 0 })
      if (!passed) {
        // The presence of `<name>-failed` refuses every later registration.
        await store.qualifications.grant({ name: `${name}-failed`, workerId: worker.id, value: 0 })
        await setOnboardingStatus(this.#ctx, record.id, AgentStatus.REJECTED)
        return { details: refused({ requestId, workerId: worker.id, reason: 'ONBOARDING_FAILED' }) }
      }
      await setOnboardingStatus(this.#ctx, record.id, AgentStatus.APPROVED)
      const attempt = await this.#onboardedAttempt(record.registrationId)
      return this.#assign(worker, {
        requestId,
        registrationId: record.registrationId,
        onboarding: false,
        ...(attempt === null ? {} : { attempt }),
      })
    })
  }

  /**
   * The platform attempt recorded when an onboarding began, for the unit's
   * agent to take on: platforms use the attempt id as the registration id.
   */
  async #onboardedAttempt(registrationId: string | null): Promise<AttemptLink | null> {
    const { provider, store } = this.#ctx
    if (provider.identify === undefined || registrationId === null) return null
    const row = await store.providerRecords.findAttempt(provider.type, registrationId)
    if (row === null) return null
    const { providerType, attemptId, providerWorkerId, placeId } = row
    return { providerType, attemptId, providerWorkerId, placeId }
  }

  /** The worker's row if it exists (remembered: a worker row never changes), else null. */
  async #knownWorker(db: Repositories, identity: WorkerIdentity): Promise<WorkerRecord | null> {
    const known = this.#workers.get(identity.workerName)
    if (known !== undefined) return known
    // Only rows already committed are remembered: one created in a batch
    // that then failed must not be.
    const worker = await db.workers.find(identity)
    if (worker !== null) this.#remember(worker)
    return worker
  }

  /** Creates the worker's row, in a batch with other registrations' writes. */
  async #createWorker(identity: WorkerIdentity): Promise<WorkerRecord> {
    const worker = await this.#ctx.store.batched((tx) => tx.workers.findOrCreate(identity))
    this.#remember(worker)
    return worker
  }

  #remember(worker: WorkerRecord): void {
    // Forget the longest-known first: a big run must not keep every worker.
    if (this.#workers.size >= KNOWN_WORKERS) {
      const oldest = this.#workers.keys().next()
      if (oldest.done !== true) this.#workers.delete(oldest.value)
    }
    this.#workers.set(worker.workerName, worker)
  }

  /**
   * A reload (same `agent_registration_id`): the same agent, no new rows
   * (docs/protocol.md §4.5), for the worker the registration belongs to only
   * (registration-owner.ts).
   */
  async #reconnect(
    db: Repositories,
    identity: WorkerIdentity,
    { registrationId, requestId }: { registrationId: string; requestId: string },
  ): Promise<AgentDetailsData | null> {
    const { taskRunId, logger } = this.#ctx
    const [agent, onboarding] = await Promise.all([
      db.agents.findByRegistration({ taskRunId, registrationId }),
      this.#ctx.task.onboarding === undefined
        ? null
        : db.onboardingAgents.findByRegistration({ taskRunId, registrationId }),
    ])
    const latest =
      agent !== null && (onboarding === null || agent.createdAt >= onboarding.createdAt)
        ? agent
        : onboarding
    if (
      latest !== null &&
      !(await isRegistrationOwner(
        { db, log: logger },
        { registrationId, ownerWorkerId: latest.workerId },
        identity,
      ))
    ) {
      // No worker id: the claimant must learn nothing about the owner.
      return refused({ requestId, workerId: null, reason: 'REGISTRATION_TAKEN' })
    }
    if (agent !== null && latest === agent) {
      if (GONE.has(agent.status))
        return refused({ requestId, workerId: agent.workerId, reason: 'TASK_MISSING' })
      const details = granted({
        requestId,
        workerId: agent.workerId,
        agentId: agent.id,
        initTaskData: this.#starter.initTaskData
          ? await this.#starter.initTaskData(agent, db)
          : agent.initData,
      })
      return FINAL_AGENT_STATUSES.has(agent.status)
        ? { ...details, ...(await this.#handedIn(db, agent)) }
        : details
    }
    if (onboarding === null || onboarding.status === AgentStatus.APPROVED) return null
    if (onboarding.status === AgentStatus.REJECTED)
      return refused({ requestId, workerId: null, reason: 'ONBOARDING_FAILED' })
    if (GONE.has(onboarding.status)) {
      return refused({ requestId, workerId: onboarding.workerId, reason: 'TASK_MISSING' })
    }
    return granted({
      requestId,
      workerId: onboarding.workerId,
      agentId: toSubjectId({ kind: 'onboarding', id: onboarding.id }),
      initTaskData: onboarding.initData,
    })
  }

  /**
   * What a reload of an agent that handed in learns besides the reference's
   * keys (docs/protocol.md §4.5): its status, and its stored answer if the
   * task shows it (`showSubmittedAnswer`), so the page can say it is done.
   */
  async #handedIn(
    db: Repositories,
    agent: AgentRecord,
  ): Promise<Pick<AgentDetailsData, 'agent_status' | 'submitted_data'>> {
    if (!this.#ctx.task.showSubmittedAnswer) return { agent_status: agent.status }
    const submission = await db.submissions.get(agent.id)
    return { agent_status: agent.status, submitted_data: submission?.data ?? null }
  }

  /** Limits, candidate units, onboarding and the reservation (docs/protocol.md §4.2 steps 3–8). */
  async #assign(
    worker: WorkerRecord,
    request: {
      requestId: string
      registrationId: string | null
      onboarding: boolean
      attempt?: AttemptLink
    },
  ): Promise<RegistrationResult> {
    const { store, task, taskRunId } = this.#ctx
    const { requestId } = request
    const workerId = worker.id
    const limit = await this.#eligibility.limitReached(store, workerId)
    if (limit !== null) return { details: refused({ requestId, workerId, reason: limit }) }
    const onboarding = task.onboarding
    if (request.onboarding && onboarding !== undefined) {
      const grant = await store.qualifications.getGrant({
        name: onboarding.qualificationName,
        workerId,
      })
      if (grant === null || grant.value === 0) {
        // As in the reference, a worker is sent to onboarding (or refused for
        // failing it) only while there is a unit it could then take.
        const first = await this.#candidates(worker).next()
        if (first.done === true) return { details: await this.#noWork(store, workerId, requestId) }
      }
      if (grant !== null && grant.value === 0) {
        return { details: refused({ requestId, workerId, reason: 'ONBOARDING_FAILED' }) }
      }
      if (grant === null) {
        const record = await store.onboardingAgents.create({
          workerId,
          taskRunId,
          registrationId: request.registrationId,
          initData: onboarding.data,
        })
        // Kept without an agent until the onboarding passes (then the unit's
        // agent gains it): a platform that lists no attempt in progress
        // (MTurk) can only report on attempts Faust recorded.
        if (request.attempt !== undefined)
          await store.providerRecords.recordAttempt({
            ...request.attempt,
            agentId: null,
            taskRunId,
          })
        return {
          details: granted({
            requestId,
            workerId,
            agentId: toSubjectId({ kind: 'onboarding', id: record.id }),
            // What was stored (the store defaults a missing value to {}), as a
            // reload answers: `onboarding.data` left undefined dropped the
            // `init_task_data` key from the packet.
            initTaskData: record.initData,
          }),
          start: () => this.#starter.startOnboarding(record.id),
        }
      }
    }
    // ---- screening and gold units (docs/protocol.md §4.2 steps 6–7, quality-control.ts)
    const quality = this.#quality
    if (quality !== null) {
      const routed = await this.#routeQuality(quality, worker, request)
      if (routed !== null) return routed
    }
    // ---- end screening and gold units
    const reservation =
      task.workerCanDoUnit === undefined
        ? await store.batched((tx) => this.#reserveNext(tx, worker, request))
        : await this.#reserveAsked(worker, request)
    return this.#answerReservation(store, { workerId, requestId }, reservation)
  }

  /** A screening or gold unit, a refusal, or null for a real unit. */
  async #routeQuality(
    quality: QualityControl,
    worker: WorkerRecord,
    request: { requestId: string; registrationId: string | null },
  ): Promise<RegistrationResult | null> {
    const { requestId } = request
    const workerId = worker.id
    // As in the reference (candidates, docs/protocol.md §4.2 step 3, come first): no screening
    // or gold unit once no real unit is left for this worker.
    const first = await this.#candidates(worker).next()
    if (first.done === true)
      return { details: await this.#noWork(this.#ctx.store, workerId, requestId) }
    const route = await quality.route(worker)
    if (route.kind === 'regular') return null
    if (route.kind === 'refuse')
      return { details: refused({ requestId, workerId, reason: route.reason }) }
    const reservation = await quality.launch(worker, route, {
      registrationId: request.registrationId,
      statuses: this.#starter.unitStatuses,
    })
    return this.#answerReservation(this.#ctx.store, { workerId, requestId }, reservation)
  }

  async #answerReservation(
    db: Repositories,
    { workerId, requestId }: { workerId: string; requestId: string },
    reservation: { agent: AgentRecord } | null,
  ): Promise<RegistrationResult> {
    if (reservation === null) return { details: await this.#noWork(db, workerId, requestId) }
    const { agent } = reservation
    return {
      details: granted({
        requestId,
        workerId,
        agentId: agent.id,
        // Static tasks: what the reservation stored (the assignment's data), no extra turn.
        initTaskData: this.#starter.initTaskData
          ? await this.#starter.initTaskData(agent, db)
          : agent.initData,
      }),
      start: () => this.#starter.startUnit(agent),
    }
  }

  /**
   * No unit for this worker: `NO_UNITS_LEFT` when every unit of the run is
   * final (waiting cannot help, and the page must not say "try again later"),
   * else `NO_AVAILABLE_UNITS` (a unit may be launched or released later).
   */
  async #noWork(db: Repositories, workerId: string, requestId: string): Promise<AgentDetailsData> {
    const counts = await db.units.summarize(this.#ctx.taskRunId)
    const open = OPEN_UNIT_STATUSES.reduce((sum, status) => sum + counts[status], 0)
    const total = Object.values(counts).reduce((sum, count) => sum + count, 0)
    const reason = total > 0 && open === 0 ? 'NO_UNITS_LEFT' : 'NO_AVAILABLE_UNITS'
    return refused({ requestId, workerId, reason })
  }

  /** With no `workerCanDoUnit` to ask, the first candidate is chosen and claimed in one transaction. */
  async #reserveNext(
    tx: Repositories,
    worker: WorkerRecord,
    request: { registrationId: string | null; attempt?: AttemptLink },
  ): Promise<{ agent: AgentRecord } | null> {
    const reservation = await tx.agents.reserveNext({
      taskRunId: this.#ctx.taskRunId,
      workerId: worker.id,
      registrationId: request.registrationId,
      providerAttempt: request.attempt,
      statuses: this.#starter.unitStatuses,
      initData: (sharedData) => sharedData,
    })
    return reservation.ok ? reservation.value : null
  }

  /** Candidates `workerCanDoUnit` accepts, each claimed under a guard until one is won. */
  async #reserveAsked(
    worker: WorkerRecord,
    { registrationId, attempt }: { registrationId: string | null; attempt?: AttemptLink },
  ): Promise<{ agent: AgentRecord } | null> {
    for await (const { unit, data } of this.#candidates(worker)) {
      const reservation = await this.#ctx.store.agents.reserveUnit({
        unitIds: [unit.id],
        workerId: worker.id,
        registrationId,
        initData: data,
        statuses: this.#starter.unitStatuses,
        providerAttempt: attempt,
      })
      if (reservation.ok) return reservation.value
    }
    return null
  }

  /**
   * Launchable units this worker may do, in creation order, lazily, with their
   * assignment's data: a page of units at a time (a big run has thousands),
   * and `workerCanDoUnit` is asked only until a unit is reserved.
   */
  async *#candidates(worker: WorkerRecord): AsyncGenerator<{ unit: UnitRecord; data: unknown }> {
    const { store, task, logger, taskRunId } = this.#ctx
    const shared = new Map<string, unknown>()
    const seen = new Set<string>()
    const workerInfo = { id: worker.id, name: worker.workerName, providerType: worker.providerType }
    for (let limit = CANDIDATE_PAGE; ; limit += CANDIDATE_PAGE) {
      // Units the worker may not do stay launched (at the head of the list),
      // and units others reserved meanwhile drop out: the next, longer page
      // starts with what was already seen.
      const page = await store.units.listLaunchable({ taskRunId, workerId: worker.id, limit })
      const fresh = page.filter((unit) => !seen.has(unit.id))
      for (const unit of fresh) {
        seen.add(unit.id)
        if (!shared.has(unit.assignmentId)) {
          shared.set(
            unit.assignmentId,
            (await store.assignments.get(unit.assignmentId))?.sharedData ?? null,
          )
        }
        const data = shared.get(unit.assignmentId)
        const canDo = task.workerCanDoUnit
        if (canDo !== undefined) {
          const unitInfo = {
            id: unit.id,
            assignmentId: unit.assignmentId,
            unitIndex: unit.unitIndex,
            data,
          }
          if (
            (await runHook(logger, 'workerCanDoUnit', () => canDo(workerInfo, unitInfo))) !== true
          )
            continue
        }
        yield { unit, data }
      }
      if (page.length < limit || fresh.length === 0) return
    }
  }
}
