import { join, relative, sep } from 'node:path'
import * as v from 'valibot'
import {
  AgentStatus,
  FINAL_AGENT_STATUSES,
  UploadDescriptor,
  type TimerHandle,
} from '@faust/protocol'
import { parseSubjectId, toSubjectId } from '../../store/agent-ref.js'
import type { AgentRecord } from '../../store/agents-repository.js'
import type { NewSubmissionFile, SubmissionRecord } from '../../store/submissions-repository.js'
import { STORED, notStored, type StoredOutcome } from '../../link/stored-outcome.js'
import { setAgentStatus, setOnboardingStatus } from '../context/agent-statuses.js'
import { QualityControl } from '../quality/quality-control.js'
import type { RunContext } from '../context/run-context.js'
import type { UploadFetcher } from '../context/upload-fetcher.js'
import { runHook } from '../../util/run-hook.js'
import { isSameSubmission } from './same-submission.js'

const Files = v.array(UploadDescriptor)

/** What the runner tells the rest of the run. */
export interface StaticRunnerEvents {
  /** A unit or onboarding changed hands (started, completed, released). */
  onUnitChanged(): void
}

/**
 * Runs static units and onboarding: the page gets its data at registration,
 * and the worker has the assignment duration to submit. A submission is
 * stored durably (files first, then the row) before the agent is `completed`;
 * a repeated submit is ignored; a late one is kept in the error log, never
 * stored as the unit's result.
 */
export class StaticRunner {
  readonly #ctx: RunContext
  readonly #fetcher: UploadFetcher
  readonly #events: StaticRunnerEvents
  readonly #deadlines = new Map<string, TimerHandle>()
  readonly #onboarding = new Set<string>()
  /** Submissions being stored (files copied, row written), by agent id. */
  readonly #handingIn = new Map<string, Promise<unknown>>()
  #closed = false

  readonly #quality: QualityControl | null

  constructor(
    ctx: RunContext,
    parts: {
      readonly fetcher: UploadFetcher
      readonly events: StaticRunnerEvents
      /** The run's screening and golds, if the task has them: submissions are scored. */
      readonly quality?: QualityControl | null | undefined
    },
  ) {
    this.#ctx = ctx
    this.#fetcher = parts.fetcher
    this.#events = parts.events
    this.#quality = parts.quality ?? null
  }

  /** A static unit is reserved straight into `in task` (see AgentStarter.unitStatuses). */
  readonly unitStatuses: readonly AgentStatus[] = [AgentStatus.ACCEPTED, AgentStatus.IN_TASK]

  /**
   * Starts a freshly reserved unit (already `in task`): tells the page, arms
   * the submit deadline and stores it, so a run resumed after a crash keeps
   * the unit for the time that is left (see {@link resumeUnit}).
   */
  async startUnit(agent: AgentRecord): Promise<void> {
    this.#ctx.pushStatus(agent.id, agent.status)
    this.#events.onUnitChanged()
    // The live setting: a changed duration applies to units started from now on.
    const durationMs = this.#ctx.settings.current.assignmentDurationSeconds * 1000
    this.#arm(agent.id, () => this.#unitTimedOut(agent), durationMs)
    await this.#ctx.store.agents.setDeadline(agent.id, this.#ctx.clock.now() + durationMs)
  }

  /**
   * An agent of a resumed run still holding its unit (the process that
   * served it died): it keeps the unit until its stored deadline, re-armed
   * for the time left, and its status is pushed again so the router admits
   * its page when it reconnects. Past the deadline (or without one) the unit
   * is released now, as the deadline would have. Returns whether it was kept.
   */
  async resumeUnit(agent: AgentRecord): Promise<boolean> {
    const leftMs = agent.deadlineAt === null ? 0 : agent.deadlineAt - this.#ctx.clock.now()
    if (leftMs <= 0) {
      this.#ctx.logger.info(
        { agentId: agent.id, unitId: agent.unitId, deadlineAt: agent.deadlineAt },
        'resumed run: reservation past its deadline released; unit offered again',
      )
      await this.#release(agent, AgentStatus.DISCONNECT)
      return false
    }
    this.#ctx.pushStatus(agent.id, agent.status)
    this.#arm(agent.id, () => this.#unitTimedOut(agent), leftMs)
    return true
  }

  /** Starts an onboarding agent: `onboarding`, and the submit deadline. */
  async startOnboarding(onboardingId: string): Promise<void> {
    this.#onboarding.add(onboardingId)
    await setOnboardingStatus(this.#ctx, onboardingId, AgentStatus.ONBOARDING)
    this.#events.onUnitChanged()
    const subjectId = toSubjectId({ kind: 'onboarding', id: onboardingId })
    this.#arm(
      subjectId,
      async () => {
        this.#onboarding.delete(onboardingId)
        const record = await this.#ctx.store.onboardingAgents.get(onboardingId)
        if (record?.status === AgentStatus.ONBOARDING) {
          await setOnboardingStatus(this.#ctx, onboardingId, AgentStatus.DISCONNECT)
        }
        // One worker fewer in onboarding: progress listeners must hear of it.
        this.#events.onUnitChanged()
      },
      this.#ctx.settings.current.assignmentDurationSeconds * 1000,
    )
  }

  /** The onboarding was submitted (or ended): its deadline no longer applies. */
  stopOnboardingDeadline(onboardingId: string): void {
    // Progress counts workers in onboarding; without a refresh here a failed
    // verdict or a disconnect left listeners showing the worker as active.
    if (this.#onboarding.delete(onboardingId)) this.#events.onUnitChanged()
    this.#disarm(toSubjectId({ kind: 'onboarding', id: onboardingId }))
  }

  /**
   * Expires the onboarding agents still taking their onboarding and tells
   * their pages (the run is ending). The reference disconnects them on
   * shutdown; left alone they stayed `onboarding` forever and the page waited.
   */
  async expireOnboarding(): Promise<void> {
    for (const onboardingId of [...this.#onboarding]) {
      this.stopOnboardingDeadline(onboardingId)
      const record = await this.#ctx.store.onboardingAgents.get(onboardingId)
      if (record?.status === AgentStatus.ONBOARDING)
        await setOnboardingStatus(this.#ctx, onboardingId, AgentStatus.EXPIRED)
    }
  }

  /** Workers in onboarding right now. */
  get activeOnboarding(): number {
    return this.#onboarding.size
  }

  /**
   * `submit_unit` from the router, with the client's idempotency key if it
   * sent one. Resolves once the submission is committed (or found already
   * stored), or refused; throws if the store failed, leaving the agent as it
   * was, so that a retry can succeed.
   */
  submit(
    agentId: string,
    data: unknown,
    submissionKey: string | null = null,
  ): Promise<StoredOutcome> {
    const submission = this.#submit(agentId, data, submissionKey)
    // A screening or gold verdict must be in before the worker's next registration.
    return this.#quality?.track(submission) ?? submission
  }

  async #submit(agentId: string, data: unknown, key: string | null): Promise<StoredOutcome> {
    const { store, logger } = this.#ctx
    const agent = await store.agents.get(agentId)
    if (agent?.taskRunId !== this.#ctx.taskRunId) {
      logger.warn(
        { agentId },
        'submission for an agent this run does not know; kept in the error log',
      )
      await store.logs.addErrorLog(null, {
        reason: 'submission for an unknown agent',
        agentId,
        data,
      })
      return notStored('AGENT_UNKNOWN', 'this run issued no such agent')
    }
    // A row without `completed` is a submission whose status write failed
    // (a full disk): its retry completes the agent (see #repeated).
    const existing = await store.submissions.get(agentId)
    if (existing !== null || agent.status === AgentStatus.COMPLETED)
      return this.#repeated(agent, existing, { data, key })
    // Once the run is stopping (close()), its agents are being expired: a
    // submission arriving now is late too, or it could complete an agent
    // already expired, on a unit already expired, after the run ended.
    if (FINAL_AGENT_STATUSES.has(agent.status) || this.#closed) {
      // The unit was released (or expired) and may already be someone else's:
      // keep the worker's data for the requester, but not as the unit's result.
      logger.warn({ agentId, status: agent.status }, 'late submission kept in the error log')
      await store.logs.addErrorLog(
        { kind: 'agent', id: agentId },
        { reason: 'late submission', status: agent.status, data },
      )
      // Stored for the requester, as the reference's router answered 200:
      // telling the worker to retry would only store it again.
      return STORED
    }
    // A submission that has begun wins over the deadline and over a
    // disconnect report arriving while its files are copied (a big upload can
    // take a while): both wait for it (see #handedIn). Otherwise the agent was
    // marked `disconnect`, its unit offered again, and then `completed` anyway.
    const handing = this.#handIn(agent, data, key)
    this.#handingIn.set(agentId, handing)
    try {
      return await handing
    } finally {
      this.#handingIn.delete(agentId)
    }
  }

  /** Stores the submission (files, then the row, synced), then completes the agent. */
  async #handIn(agent: AgentRecord, data: unknown, key: string | null): Promise<StoredOutcome> {
    const { stored, files } = await this.#storeFiles(
      join(this.#ctx.runDir, agent.assignmentId, agent.id),
      data,
    )
    const { store } = this.#ctx
    const result = await store.durably(() =>
      store.submissions.store({ agentId: agent.id, data: stored, files, submissionKey: key }),
    )
    if (!result.ok)
      return this.#repeated(agent, await store.submissions.get(agent.id), { data, key })
    await this.#complete(agent, stored)
    return STORED
  }

  /** The submission is stored: the agent is `completed`, then scored and reported. */
  async #complete(agent: AgentRecord, data: unknown): Promise<void> {
    this.#disarm(agent.id)
    await setAgentStatus(this.#ctx, agent.id, AgentStatus.COMPLETED)
    this.#events.onUnitChanged()
    await this.#afterCompleted(agent, data)
  }

  /**
   * A second submission of an agent that handed in. The first is kept either
   * way; a retry of it (the same idempotency key, or the same data) is
   * confirmed without storing again, but other data is refused loudly (a
   * warning, and the data kept in the error log), never dropped in silence.
   * The router already answers such a retry 409; this covers what reaches
   * the backend anyway (a restarted router, the check turned off). A retry
   * of a submission whose row was committed but whose status write failed
   * completes the agent now.
   */
  async #repeated(
    agent: AgentRecord,
    stored: SubmissionRecord | null,
    incoming: { readonly data: unknown; readonly key: string | null },
  ): Promise<StoredOutcome> {
    const { store, logger } = this.#ctx
    const agentId = agent.id
    const { data, key } = incoming
    if (stored === null) {
      logger.debug({ agentId }, 'repeated submission ignored')
      return notStored('ALREADY_SUBMITTED', 'this agent has already handed in')
    }
    if ((key !== null && stored.submissionKey === key) || isSameSubmission(stored, data)) {
      logger.debug({ agentId }, 'repeated submission confirmed, not stored again')
      if (!FINAL_AGENT_STATUSES.has(agent.status) && !this.#closed)
        await this.#complete(agent, stored.data)
      return STORED
    }
    logger.warn(
      { agentId },
      'repeated submission with different data refused; the first is kept, this one is in the error log',
    )
    await store.logs.addErrorLog(
      { kind: 'agent', id: agentId },
      { reason: 'different repeated submission', data },
    )
    return notStored('ALREADY_SUBMITTED', 'this agent has already handed in other data')
  }

  /** Waits until a submission of this agent being stored, if any, has succeeded or failed. */
  async #handedIn(agentId: string): Promise<void> {
    await this.#handingIn.get(agentId)?.catch(() => undefined)
  }

  /**
   * `submit_metadata`: stores an agent's metadata with its uploads copied into
   * the agent's folder first, as for a submission (the reference downloads
   * them too, docs/protocol.md §2.7). Stored as they came, the descriptors named files in the
   * router's upload folder, which a remote router never hands over. Metadata
   * for an agent this run never issued is kept in the error log and refused.
   */
  async storeMetadata(subjectId: string, metadata: unknown): Promise<StoredOutcome> {
    const { store, runDir, taskRunId } = this.#ctx
    const ref = parseSubjectId(subjectId)
    let folder: string | null = null
    if (ref.kind === 'agent') {
      const agent = await store.agents.get(ref.id)
      if (agent?.taskRunId === taskRunId) folder = join(runDir, agent.assignmentId, agent.id)
    } else {
      const record = await store.onboardingAgents.get(ref.id)
      if (record?.taskRunId === taskRunId) folder = join(runDir, 'onboarding', subjectId)
    }
    if (folder === null) {
      this.#ctx.logger.warn(
        { subjectId },
        'metadata for an agent this run does not know; kept in the error log',
      )
      await store.logs.addErrorLog(null, {
        reason: 'metadata for an unknown agent',
        subjectId,
        data: metadata,
      })
      return notStored('AGENT_UNKNOWN', 'this run issued no such agent')
    }
    let stored = metadata
    try {
      stored = (await this.#storeFiles(folder, metadata)).stored
    } catch (error) {
      // Keep the metadata (naming the router's files) rather than lose it.
      this.#ctx.logger.warn({ err: error, subjectId }, 'could not copy metadata files')
    }
    await store.durably(() => store.logs.addMetadata(ref, stored))
    return STORED
  }

  /** The router reported the agent gone (heartbeats or socket lost). */
  async disconnected(agentId: string): Promise<void> {
    await this.#handedIn(agentId)
    const agent = await this.#ctx.store.agents.get(agentId)
    if (agent === null || FINAL_AGENT_STATUSES.has(agent.status)) return
    this.#disarm(agentId)
    await this.#release(agent, AgentStatus.DISCONNECT)
  }

  /** Stops every deadline; later submissions are kept as late ones (the run is ending). */
  close(): void {
    this.#closed = true
    for (const timer of this.#deadlines.values()) this.#ctx.clock.clearTimeout(timer)
    this.#deadlines.clear()
  }

  async #unitTimedOut(agent: AgentRecord): Promise<void> {
    await this.#handedIn(agent.id)
    const current = await this.#ctx.store.agents.get(agent.id)
    if (current === null || FINAL_AGENT_STATUSES.has(current.status)) return
    this.#ctx.logger.info(
      { agentId: agent.id },
      'no submission within the assignment duration; unit offered again',
    )
    await this.#release(current, AgentStatus.DISCONNECT)
  }

  async #release(agent: AgentRecord, status: AgentStatus): Promise<void> {
    await setAgentStatus(this.#ctx, agent.id, status)
    const { store } = this.#ctx
    // A screening or gold unit was made for this worker: never offered again.
    const unit = this.#quality === null ? null : await store.units.get(agent.unitId)
    if (unit !== null && QualityControl.isSpecial(unit.unitIndex))
      await store.units.expire([unit.id])
    else await store.units.release({ unitId: agent.unitId, agentId: agent.id })
    this.#events.onUnitChanged()
  }

  async #afterCompleted(agent: AgentRecord, data: unknown): Promise<void> {
    const { store, provider, task } = this.#ctx
    const [unit, worker, assignment] = await Promise.all([
      store.units.get(agent.unitId),
      store.workers.get(agent.workerId),
      store.assignments.get(agent.assignmentId),
    ])
    if (unit === null || worker === null) return
    const unitInfo = {
      id: unit.id,
      assignmentId: unit.assignmentId,
      unitIndex: unit.unitIndex,
      data: assignment?.sharedData,
    }
    const workerInfo = { id: worker.id, name: worker.workerName, providerType: worker.providerType }
    await this.#quality?.score({
      unitIndex: unit.unitIndex,
      workerId: worker.id,
      inputs: assignment?.sharedData,
      outputs: data,
    })
    if (provider.markDone !== undefined) {
      const markDone = provider.markDone.bind(provider)
      await runHook(this.#ctx.logger, 'markDone', () =>
        markDone({
          unitId: unit.id,
          agentId: agent.id,
          workerName: worker.workerName,
          pay: unit.pay,
          providerData: {
            worker_name: worker.workerName,
            agent_registration_id: agent.registrationId ?? '',
          },
        }),
      )
    }
    const onUnitSubmitted = task.hooks.onUnitSubmitted
    if (onUnitSubmitted !== undefined) {
      await runHook(this.#ctx.logger, 'onUnitSubmitted', () =>
        onUnitSubmitted({ unit: unitInfo, worker: workerInfo, agentId: agent.id, data }),
      )
    }
  }

  /**
   * Copies the uploads into `folder` (an agent's: `<runDir>/<assignment>/<agent>/`)
   * and returns the data as stored: `files` and `filesByFields` name the
   * stored files instead of the router's paths.
   */
  async #storeFiles(
    folder: string,
    data: unknown,
  ): Promise<{ stored: unknown; files: NewSubmissionFile[] }> {
    if (typeof data !== 'object' || data === null || !('files' in data))
      return { stored: data, files: [] }
    const parsed = v.safeParse(Files, data.files)
    if (!parsed.success) return { stored: data, files: [] }
    const files: NewSubmissionFile[] = []
    for (const descriptor of parsed.output) {
      const destination = join(folder, descriptor.filename)
      await this.#fetcher.fetch(descriptor.filename, destination)
      files.push({
        fieldName: descriptor.fieldname,
        originalName: descriptor.originalname,
        // Relative to the data folder, so the folder can be moved or archived.
        storedPath: relative(this.#ctx.store.dataDir, destination).split(sep).join('/'),
        mimetype: descriptor.mimetype,
        sizeBytes: descriptor.size,
      })
    }
    const byField: Record<string, string[]> = {}
    for (const descriptor of parsed.output)
      (byField[descriptor.fieldname] ??= []).push(descriptor.filename)
    return {
      stored: {
        ...data,
        files: parsed.output.map((descriptor) => descriptor.filename),
        filesByFields: byField,
      },
      files,
    }
  }

  #arm(subjectId: string, onTimeout: () => Promise<void>, delayMs: number): void {
    this.#disarm(subjectId)
    const timer = this.#ctx.clock.setTimeout(() => {
      this.#deadlines.delete(subjectId)
      onTimeout().catch((error: unknown) => {
        this.#ctx.logger.error({ err: error, subjectId }, 'deadline handling failed')
      })
    }, delayMs)
    this.#deadlines.set(subjectId, timer)
  }

  #disarm(subjectId: string): void {
    const timer = this.#deadlines.get(subjectId)
    if (timer === undefined) return
    this.#ctx.clock.clearTimeout(timer)
    this.#deadlines.delete(subjectId)
  }
}
