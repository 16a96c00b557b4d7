import { AgentStatus, FINAL_AGENT_STATUSES } from '@faust/protocol'
import { parseSubjectId } from '../../store/agent-ref.js'
import type { AgentRecord } from '../../store/agents-repository.js'
import type { Repositories } from '../../store/repositories.js'
import { KeyedQueue } from '../../util/keyed-queue.js'
import { setAgentStatus } from '../context/agent-statuses.js'
import type { RunContext } from '../context/run-context.js'
import { retryTransient } from '../../store/retry-transient.js'
import { AfterRunSubmissions } from './after-run-submissions.js'
import { LiveAgentHandle } from './live-agent.js'
import { LiveAssignment } from './live-assignment.js'
import type { LiveTaskSettings } from '../../definition/live-task-options.js'
import type { StaticRunner, StaticRunnerEvents } from './static-runner.js'
import type { TaskRunner } from './task-runner.js'
import { WaitingRoom } from './waiting-room.js'
import { RunError } from '../../util/backend-error.js'
import { UnitStatus } from '../../store/unit-status.js'
import type { StoredOutcome } from '../../link/stored-outcome.js'

/** How the runner reaches pages with live data (the run's IO handler). */
export interface LiveSender {
  sendLiveUpdate(subjectId: string, data: Record<string, unknown>): void
}

/**
 * Runs concurrent tasks (docs/protocol.md §4.6, §7.3): a reserved agent waits (`waiting`)
 * until every unit of its assignment is taken, then all become `in task` at
 * once and the task's `run` drives them. A waiting agent who leaves or
 * outlasts the waiting room frees its unit at once. Onboarding, metadata and
 * the durable submission path are the static runner's.
 */
export class ConcurrentRunner implements TaskRunner {
  readonly #ctx: RunContext
  readonly #settings: LiveTaskSettings
  readonly #static: StaticRunner
  readonly #events: StaticRunnerEvents
  readonly #live: LiveSender
  readonly #room: WaitingRoom
  /** Room changes and launches, one at a time per assignment. */
  readonly #perAssignment = new KeyedQueue()
  readonly #running = new Map<string, LiveAssignment>()
  /** Assignments of a resumed run already decided, with the agents kept. */
  readonly #resumed = new Map<string, Promise<ReadonlySet<string>>>()
  readonly #afterRun: AfterRunSubmissions
  #closed = false

  constructor(
    ctx: RunContext,
    settings: LiveTaskSettings,
    parts: {
      readonly staticRunner: StaticRunner
      readonly events: StaticRunnerEvents
      readonly live: LiveSender
    },
  ) {
    this.#ctx = ctx
    this.#settings = settings
    this.#static = parts.staticRunner
    this.#events = parts.events
    this.#live = parts.live
    this.#afterRun = new AfterRunSubmissions(ctx, settings.submissionTimeoutSeconds * 1000, () => {
      parts.events.onUnitChanged()
    })
    this.#room = new WaitingRoom(ctx.clock, settings.waitingRoomSeconds * 1000, (agent) => {
      void this.#perAssignment
        .run(agent.assignmentId, () => this.#waitedTooLong(agent))
        .catch((error: unknown) => {
          ctx.logger.error({ err: error, agentId: agent.id }, 'waiting-room timeout failed')
        })
    })
  }

  get activeOnboarding(): number {
    return this.#static.activeOnboarding
  }

  startOnboarding(onboardingId: string): Promise<void> {
    return this.#static.startOnboarding(onboardingId)
  }

  stopOnboardingDeadline(onboardingId: string): void {
    this.#static.stopOnboardingDeadline(onboardingId)
  }

  expireOnboarding(): Promise<void> {
    return this.#static.expireOnboarding()
  }

  storeMetadata(subjectId: string, metadata: unknown): Promise<StoredOutcome> {
    return this.#static.storeMetadata(subjectId, metadata)
  }

  /** A live unit is reserved into `waiting` (see AgentStarter.unitStatuses): partners may be missing. */
  readonly unitStatuses: readonly AgentStatus[] = [AgentStatus.ACCEPTED, AgentStatus.WAITING]

  /** A freshly reserved unit (already `waiting`): the agent enters the waiting room; the last one launches. */
  startUnit(agent: AgentRecord): Promise<void> {
    return this.#perAssignment.run(agent.assignmentId, async () => {
      if (this.#closed) return
      this.#ctx.pushStatus(agent.id, agent.status)
      this.#events.onUnitChanged()
      const waiting = this.#room.enter(agent)
      if (waiting.length >= this.#ctx.task.unitsPerAssignment)
        await this.#launch(agent.assignmentId)
    })
  }

  /** `{ task_data, past_live_updates }` (docs/protocol.md §7.3): a reload gets the whole history back. */
  async initTaskData(agent: AgentRecord, db: Repositories): Promise<unknown> {
    const updates = await db.liveUpdates.list(agent.id)
    return {
      task_data: agent.initData,
      past_live_updates: updates.map((update) => ({ ...update.data, timestamp: update.at / 1000 })),
    }
  }

  /**
   * An agent of a resumed run (docs/backend.md, "Resuming a run"), decided
   * per assignment on its first agent: an assignment whose members are all
   * still `in task` is restored and its `run` called again (`resumed: true`);
   * members all still `waiting` go back to the waiting room for the time
   * they had left; members still `in task` beside a partner who handed in
   * (`run` was over) may still submit ({@link AfterRunSubmissions}); any
   * other mix (a partner already gone) is ended as a dropout would be.
   * Returns whether kept.
   */
  async resumeUnit(agent: AgentRecord): Promise<boolean> {
    let decided = this.#resumed.get(agent.assignmentId)
    if (decided === undefined) {
      decided = this.#perAssignment.run(agent.assignmentId, () =>
        this.#resumeAssignment(agent.assignmentId),
      )
      this.#resumed.set(agent.assignmentId, decided)
    }
    return (await decided).has(agent.id)
  }

  /** The ids of the assignment's agents kept by {@link resumeUnit}. */
  async #resumeAssignment(assignmentId: string): Promise<ReadonlySet<string>> {
    const { store } = this.#ctx
    const members: AgentRecord[] = []
    for (const sibling of await store.agents.listForAssignment(assignmentId)) {
      const unit = await store.units.get(sibling.unitId)
      if (unit?.agentId === sibling.id) members.push(sibling)
    }
    const live = members.filter((member) => !FINAL_AGENT_STATUSES.has(member.status))
    const all = (status: AgentStatus): boolean =>
      live.length > 0 && live.every((member) => member.status === status)
    if (all(AgentStatus.IN_TASK) && live.length === this.#ctx.task.unitsPerAssignment) {
      await this.#launch(assignmentId, live, { resumed: true })
      return new Set(live.map((member) => member.id))
    }
    if (all(AgentStatus.WAITING)) {
      let waiting = 0
      for (const member of live) {
        this.#ctx.pushStatus(member.id, member.status)
        const leftMs =
          this.#settings.waitingRoomSeconds * 1000 - (this.#ctx.clock.now() - member.createdAt)
        waiting = this.#room.enter(member, Math.max(0, leftMs)).length
      }
      this.#ctx.logger.info(
        { assignmentId, agentIds: live.map((member) => member.id) },
        'resumed run: waiting workers back in the waiting room',
      )
      // The process died between the last partner's arrival and the launch.
      if (waiting >= this.#ctx.task.unitsPerAssignment) await this.#launch(assignmentId)
      return new Set(live.map((member) => member.id))
    }
    if (
      live.length > 0 &&
      live.every((member) => member.status === AgentStatus.IN_TASK) &&
      members.some((member) => member.status === AgentStatus.COMPLETED)
    ) {
      this.#afterRun.keep(assignmentId, live)
      return new Set(live.map((member) => member.id))
    }
    // Decided before any change: releasing one unit must not make its partner's look finished.
    const units = await Promise.all(members.map((member) => store.units.get(member.unitId)))
    const reofferable = units.every((unit) => unit?.status === UnitStatus.ASSIGNED)
    for (const member of live) await this.#endOnResume(member, reofferable)
    return new Set()
  }

  /**
   * Ends a live agent whose assignment cannot be restored: `expired`; its
   * unit is offered again while every unit of the assignment is still held
   * (the pair can be formed anew), and expired otherwise (a partner's unit
   * is done or expired: a new worker on this one would wait for nobody), as a
   * dropout would.
   */
  async #endOnResume(agent: AgentRecord, reofferable: boolean): Promise<void> {
    const { store, logger } = this.#ctx
    if (reofferable) {
      // Released first: an `expired` agent still holding its unit would expire the unit too.
      await store.units.release({ unitId: agent.unitId, agentId: agent.id })
      await setAgentStatus(this.#ctx, agent.id, AgentStatus.EXPIRED)
    } else {
      await setAgentStatus(this.#ctx, agent.id, AgentStatus.EXPIRED)
      await store.units.expire([agent.unitId])
    }
    logger.info(
      { agentId: agent.id, unitId: agent.unitId, assignmentId: agent.assignmentId },
      reofferable
        ? 'resumed run: live agent ended; unit offered again'
        : 'resumed run: live agent ended, its unit expired (a partner had finished or left)',
    )
  }

  async liveUpdate(subjectId: string, data: Record<string, unknown>): Promise<void> {
    const ref = parseSubjectId(subjectId)
    if (ref.kind !== 'agent') return
    const assignment = this.#assignmentOf(ref.id)
    if (assignment === undefined) {
      const record = await this.#ctx.store.agents.get(ref.id)
      if (record?.taskRunId !== this.#ctx.taskRunId) {
        this.#ctx.logger.debug({ subjectId }, 'live update for an agent this run does not know')
        return
      }
    }
    // A page's message is not sent again: a full disk for a few seconds waits.
    await retryTransient(
      () => this.#ctx.store.liveUpdates.add({ agentId: ref.id, direction: 'from_agent', data }),
      { clock: this.#ctx.clock, logger: this.#ctx.logger, what: "a page's live update" },
    )
    assignment?.agents.find((agent) => agent.id === ref.id)?.deliver(data)
  }

  async submit(
    agentId: string,
    data: unknown,
    submissionKey: string | null = null,
  ): Promise<StoredOutcome> {
    const assignment = this.#assignmentOf(agentId)
    this.#afterRun.take(agentId)
    if (assignment === undefined) return this.#static.submit(agentId, data, submissionKey)
    return assignment.submit(agentId, () => this.#static.submit(agentId, data, submissionKey))
  }

  async disconnected(agentId: string): Promise<void> {
    const assignment = this.#assignmentOf(agentId)
    if (assignment !== undefined) return assignment.dropout(agentId, AgentStatus.DISCONNECT)
    const waiting = this.#room.find(agentId)
    if (waiting !== undefined) {
      return this.#perAssignment.run(waiting.assignmentId, async () => {
        if (await this.#leaveRoom(waiting, AgentStatus.DISCONNECT)) return
        // The assignment launched between the report and this turn: a dropout now.
        await this.#assignmentOf(agentId)?.dropout(agentId, AgentStatus.DISCONNECT)
      })
    }
    if (await this.#afterRun.dropout(agentId)) return
    return this.#static.disconnected(agentId)
  }

  async close(): Promise<void> {
    this.#closed = true
    this.#room.clear()
    this.#afterRun.close()
    this.#static.close()
    await Promise.all([...this.#running.values()].map((assignment) => assignment.shutdown()))
  }

  /**
   * Every unit of the assignment has an agent: all go `in task` and `run`
   * starts (`members`, `resumed`: an assignment restored on resume, its
   * agents already `in task`; their status is announced again).
   */
  async #launch(
    assignmentId: string,
    restored?: readonly AgentRecord[],
    options: { readonly resumed: boolean } = { resumed: false },
  ): Promise<void> {
    const { store } = this.#ctx
    const members = restored ?? this.#room.take(assignmentId)
    const assignment = await store.assignments.get(assignmentId)
    const handles: LiveAgentHandle[] = []
    for (const member of members) {
      const [unit, worker] = await Promise.all([
        store.units.get(member.unitId),
        store.workers.get(member.workerId),
      ])
      if (unit === null || worker === null)
        throw new RunError('RUN_STATE_LOST', `agent ${member.id} lost its unit`)
      handles.push(
        new LiveAgentHandle(
          {
            clock: this.#ctx.clock,
            store,
            logger: this.#ctx.logger,
            send: (id, data) => {
              this.#live.sendLiveUpdate(id, data)
            },
            timedOut: (id) => {
              void live.dropout(id, AgentStatus.TIMEOUT)
            },
          },
          {
            id: member.id,
            worker: { id: worker.id, name: worker.workerName, providerType: worker.providerType },
            unit: {
              id: unit.id,
              assignmentId,
              unitIndex: unit.unitIndex,
              data: assignment?.sharedData,
            },
          },
        ),
      )
    }
    handles.sort((a, b) => a.unit.unitIndex - b.unit.unitIndex)
    const live: LiveAssignment = new LiveAssignment(this.#ctx, this.#settings, {
      id: assignmentId,
      data: assignment?.sharedData,
      agents: handles,
      onEnded: () => this.#running.delete(assignmentId),
      onUnitChanged: () => {
        this.#events.onUnitChanged()
      },
    })
    this.#running.set(assignmentId, live)
    for (const handle of handles) {
      if (options.resumed) this.#ctx.pushStatus(handle.id, AgentStatus.IN_TASK)
      else await setAgentStatus(this.#ctx, handle.id, AgentStatus.IN_TASK)
    }
    this.#events.onUnitChanged()
    this.#ctx.logger.info(
      { assignmentId, agentIds: handles.map((handle) => handle.id) },
      options.resumed
        ? "resumed run: a running assignment is restored; the task's run is called again"
        : 'every partner is here; the assignment starts',
    )
    live.start(options.resumed)
  }

  async #waitedTooLong(agent: AgentRecord): Promise<void> {
    if (this.#room.find(agent.id) === undefined) return
    this.#ctx.logger.info(
      { agentId: agent.id, assignmentId: agent.assignmentId },
      'no partners within the waiting room time; the worker is released',
    )
    await this.#leaveRoom(agent, AgentStatus.EXPIRED)
  }

  /**
   * Out of the waiting room: the unit is offered again at once, then the
   * status is set and pushed. False if the agent was no longer waiting.
   */
  async #leaveRoom(agent: AgentRecord, status: AgentStatus): Promise<boolean> {
    if (!this.#room.leave(agent.id)) return false
    const current = await this.#ctx.store.agents.get(agent.id)
    if (current === null || FINAL_AGENT_STATUSES.has(current.status)) return true
    // Released first: an `expired` agent still holding its unit would expire the unit too.
    await this.#ctx.store.units.release({ unitId: agent.unitId, agentId: agent.id })
    await setAgentStatus(this.#ctx, agent.id, status)
    this.#events.onUnitChanged()
    return true
  }

  #assignmentOf(agentId: string): LiveAssignment | undefined {
    for (const assignment of this.#running.values()) if (assignment.has(agentId)) return assignment
    return undefined
  }
}
