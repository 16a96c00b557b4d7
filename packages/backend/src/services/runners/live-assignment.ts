import { AgentStatus, FINAL_AGENT_STATUSES, type TimerHandle } from '@faust/protocol'
import { setAgentStatus } from '../context/agent-statuses.js'
import type { RunContext } from '../context/run-context.js'
import {
  AgentDisconnectedError,
  AgentError,
  AgentShutdownError,
  AgentTimeoutError,
} from '../../definition/agent-errors.js'
import type { LiveAgentHandle } from './live-agent.js'
import type { LiveTaskSettings } from '../../definition/live-task-options.js'

/** Longest real time `stop()` waits for a run function to notice it was ended. */
const SHUTDOWN_GRACE_MS = 2000

/** The message every agent still in the task gets when `run` returns (the reference's convention, docs/protocol.md §7.3). */
export const TASK_DONE_UPDATE = { task_data: { task_done: true } } as const

type Phase = 'running' | 'submitting' | 'ended'

/**
 * One running concurrent assignment: calls the task's `run`, then gives the
 * agents still in the task the submission timeout. Every status change goes
 * through one chain, so a dropout, a submission and the end of `run` never
 * interleave. A dropout (disconnect, timeout, return) while `run` runs ends
 * it: that agent keeps its status and its unit is expired (docs/protocol.md §7.1), each
 * partner becomes `partner disconnect` and may still submit.
 */
export class LiveAssignment {
  readonly id: string
  readonly agents: readonly LiveAgentHandle[]
  readonly #ctx: RunContext
  readonly #settings: LiveTaskSettings
  readonly #data: unknown
  readonly #abort = new AbortController()
  readonly #deadlines = new Map<string, TimerHandle>()
  readonly #onEnded: () => void
  readonly #onUnitChanged: () => void
  #phase: Phase = 'running'
  #chain: Promise<unknown> = Promise.resolve()
  #running: Promise<void> = Promise.resolve()

  constructor(
    ctx: RunContext,
    settings: LiveTaskSettings,
    assignment: {
      id: string
      data: unknown
      agents: readonly LiveAgentHandle[]
      onEnded: () => void
      onUnitChanged: () => void
    },
  ) {
    this.#ctx = ctx
    this.#settings = settings
    this.id = assignment.id
    this.#data = assignment.data
    this.agents = assignment.agents
    this.#onEnded = assignment.onEnded
    this.#onUnitChanged = assignment.onUnitChanged
  }

  /** Calls `run` (`resumed`: again, after a restart); its outcome is handled on the chain. */
  start(resumed = false): void {
    const run = this.#settings.run
    this.#running = (async () => {
      try {
        await run({
          agents: this.agents,
          assignment: { id: this.id, data: this.#data },
          signal: this.#abort.signal,
          resumed,
        })
      } catch (error) {
        await this.#serial(() => this.#runFailed(error))
        return
      }
      await this.#serial(() => this.#runReturned())
    })().catch(() => {
      // A failed step is logged by #serial; `#running` only marks that `run`
      // has settled, and must not become an unhandled rejection.
    })
  }

  /** Whether this agent is one of this assignment's. */
  has(agentId: string): boolean {
    return this.agents.some((agent) => agent.id === agentId)
  }

  /** An agent left (router report, a wait timed out, the provider's return). */
  dropout(agentId: string, status: AgentStatus): Promise<void> {
    return this.#serial(() => this.#dropout(agentId, status))
  }

  /** Runs `store` (the static runner's durable submission) in order with every other change. */
  submit<TOutcome>(agentId: string, store: () => Promise<TOutcome>): Promise<TOutcome> {
    return this.#serial(async () => {
      const outcome = await store()
      const record = await this.#ctx.store.agents.get(agentId)
      if (record?.status !== AgentStatus.COMPLETED) return outcome
      this.#disarm(agentId)
      const submission = await this.#ctx.store.submissions.get(agentId)
      const handle = this.#handle(agentId)
      handle?.submitted(submission?.data)
      // Submitted while `run` still waits on it: the page is gone (the router
      // forgets a page once it submits), so its waits end rather than hang.
      handle?.end(new AgentDisconnectedError(agentId, AgentStatus.COMPLETED))
      await this.#checkEnded()
      return outcome
    })
  }

  /** The run is stopping: every wait ends, the statuses are left to the run (it expires them). */
  async shutdown(): Promise<void> {
    if (this.#phase !== 'ended') {
      this.#phase = 'ended'
      this.#clearDeadlines()
      for (const agent of this.agents) agent.end(new AgentShutdownError(agent.id))
      this.#abort.abort()
      this.#onEnded()
    }
    let timer: ReturnType<typeof setTimeout> | undefined
    await Promise.race([
      this.#running.then(() => this.#chain),
      new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_GRACE_MS))),
    ])
    clearTimeout(timer)
  }

  async #dropout(agentId: string, status: AgentStatus): Promise<void> {
    const { store } = this.#ctx
    const agent = this.#handle(agentId)
    const record = await store.agents.get(agentId)
    if (agent === undefined || record === null || FINAL_AGENT_STATUSES.has(record.status)) return
    if (this.#phase === 'ended') return
    this.#disarm(agentId)
    await setAgentStatus(this.#ctx, agentId, status)
    await store.units.expire([record.unitId])
    agent.end(
      status === AgentStatus.TIMEOUT
        ? new AgentTimeoutError(agentId)
        : new AgentDisconnectedError(agentId, status),
    )
    if (this.#phase === 'running') {
      this.#ctx.logger.info(
        { assignmentId: this.id, agentId, status },
        'an agent left a running assignment; its partners may submit',
      )
      this.#phase = 'submitting'
      this.#abort.abort()
      for (const partner of this.agents) {
        if (partner.id === agentId) continue
        partner.end(new AgentDisconnectedError(agentId, status))
        const current = await store.agents.get(partner.id)
        if (current === null || FINAL_AGENT_STATUSES.has(current.status)) continue
        await setAgentStatus(this.#ctx, partner.id, AgentStatus.PARTNER_DISCONNECT)
        this.#armSubmission(partner.id)
      }
    }
    this.#onUnitChanged()
    await this.#checkEnded()
  }

  async #runReturned(): Promise<void> {
    if (this.#phase !== 'running') return
    this.#phase = 'submitting'
    for (const agent of this.agents) {
      const record = await this.#ctx.store.agents.get(agent.id)
      if (record === null || FINAL_AGENT_STATUSES.has(record.status)) continue
      await agent.observe(TASK_DONE_UPDATE)
      this.#armSubmission(agent.id)
    }
    await this.#checkEnded()
  }

  async #runFailed(error: unknown): Promise<void> {
    const agentIds = this.agents.map((agent) => agent.id)
    // A wait ended by a dropout, a submission or a shutdown, rethrown by task
    // code: the dropout is already handled; otherwise `run` simply ended.
    if (error instanceof AgentError) return this.#runReturned()
    this.#ctx.logger.error(
      { err: error, assignmentId: this.id, agentIds },
      "the task's run function threw; the assignment is ended and its units expired",
    )
    if (this.#phase !== 'running') return
    this.#phase = 'ended'
    this.#abort.abort()
    for (const agent of this.agents) {
      agent.end(new AgentShutdownError(agent.id))
      const record = await this.#ctx.store.agents.get(agent.id)
      if (record === null || FINAL_AGENT_STATUSES.has(record.status)) continue
      await setAgentStatus(this.#ctx, agent.id, AgentStatus.EXPIRED)
      await this.#ctx.store.units.expire([record.unitId])
    }
    this.#onUnitChanged()
    this.#onEnded()
  }

  async #submissionTimedOut(agentId: string): Promise<void> {
    if (this.#phase === 'ended') return
    const record = await this.#ctx.store.agents.get(agentId)
    if (record === null || FINAL_AGENT_STATUSES.has(record.status)) return
    this.#ctx.logger.info(
      { assignmentId: this.id, agentId },
      'no submission within the submission timeout; unit expired',
    )
    this.#handle(agentId)?.end(new AgentTimeoutError(agentId))
    await setAgentStatus(this.#ctx, agentId, AgentStatus.TIMEOUT)
    await this.#ctx.store.units.expire([record.unitId])
    this.#onUnitChanged()
    await this.#checkEnded()
  }

  /** Once `run` is over and every agent is final, the assignment is done. */
  async #checkEnded(): Promise<void> {
    if (this.#phase !== 'submitting') return
    for (const agent of this.agents) {
      const record = await this.#ctx.store.agents.get(agent.id)
      if (record !== null && !FINAL_AGENT_STATUSES.has(record.status)) return
    }
    this.#phase = 'ended'
    this.#clearDeadlines()
    this.#onEnded()
  }

  #armSubmission(agentId: string): void {
    this.#disarm(agentId)
    const timer = this.#ctx.clock.setTimeout(() => {
      this.#deadlines.delete(agentId)
      void this.#serial(() => this.#submissionTimedOut(agentId))
    }, this.#settings.submissionTimeoutSeconds * 1000)
    this.#deadlines.set(agentId, timer)
  }

  #disarm(agentId: string): void {
    const timer = this.#deadlines.get(agentId)
    if (timer === undefined) return
    this.#ctx.clock.clearTimeout(timer)
    this.#deadlines.delete(agentId)
  }

  #clearDeadlines(): void {
    for (const timer of this.#deadlines.values()) this.#ctx.clock.clearTimeout(timer)
    this.#deadlines.clear()
  }

  #handle(agentId: string): LiveAgentHandle | undefined {
    return this.agents.find((agent) => agent.id === agentId)
  }

  /** Runs `job` after every change queued before it; a failure is logged, not passed on. */
  #serial<TResult>(job: () => Promise<TResult>): Promise<TResult> {
    const result = this.#chain.then(job)
    this.#chain = result.catch((error: unknown) => {
      this.#ctx.logger.error({ err: error, assignmentId: this.id }, 'live assignment step failed')
    })
    return result
  }
}
