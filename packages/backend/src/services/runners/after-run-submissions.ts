import { AgentStatus, FINAL_AGENT_STATUSES, type TimerHandle } from '@faust/protocol'
import type { AgentRecord } from '../../store/agents-repository.js'
import { setAgentStatus } from '../context/agent-statuses.js'
import type { RunContext } from '../context/run-context.js'

/**
 * The agents of a resumed run's live assignment whose `run` was already over
 * when the process died (a partner had handed in): nothing live is left to
 * restore, so each may still submit, as a static agent does, within the
 * task's submission timeout counted from the resume (the store does not say
 * when `run` returned). One who does not becomes `timeout` and its unit is
 * expired, as after a normal run.
 */
export class AfterRunSubmissions {
  readonly #ctx: RunContext
  readonly #timeoutMs: number
  readonly #onUnitChanged: () => void
  readonly #timers = new Map<string, TimerHandle>()

  constructor(ctx: RunContext, timeoutMs: number, onUnitChanged: () => void) {
    this.#ctx = ctx
    this.#timeoutMs = timeoutMs
    this.#onUnitChanged = onUnitChanged
  }

  /** Keeps `agents` (all `in task`) waiting for their submissions; tells their pages again. */
  keep(assignmentId: string, agents: readonly AgentRecord[]): void {
    for (const agent of agents) {
      this.#ctx.pushStatus(agent.id, agent.status)
      const timer = this.#ctx.clock.setTimeout(() => {
        this.#timers.delete(agent.id)
        void this.#timedOut(agent.id).catch((error: unknown) => {
          this.#ctx.logger.error({ err: error, agentId: agent.id }, 'submission timeout failed')
        })
      }, this.#timeoutMs)
      this.#timers.set(agent.id, timer)
    }
    this.#ctx.logger.info(
      { assignmentId, agentIds: agents.map((agent) => agent.id) },
      'resumed run: a partner had handed in; the others may still submit',
    )
  }

  /** Whether `agentId` is kept here; its timer stops (its submission is being handled). */
  take(agentId: string): boolean {
    const timer = this.#timers.get(agentId)
    if (timer === undefined) return false
    this.#ctx.clock.clearTimeout(timer)
    this.#timers.delete(agentId)
    return true
  }

  /** A kept agent's page left for good: `disconnect`, its unit expired (a dropout after `run`). */
  async dropout(agentId: string): Promise<boolean> {
    if (!this.take(agentId)) return false
    await this.#end(agentId, AgentStatus.DISCONNECT, 'kept agent disconnected; unit expired')
    return true
  }

  close(): void {
    for (const timer of this.#timers.values()) this.#ctx.clock.clearTimeout(timer)
    this.#timers.clear()
  }

  #timedOut(agentId: string): Promise<void> {
    return this.#end(
      agentId,
      AgentStatus.TIMEOUT,
      'no submission within the submission timeout; unit expired',
    )
  }

  async #end(agentId: string, status: AgentStatus, message: string): Promise<void> {
    const record = await this.#ctx.store.agents.get(agentId)
    if (record === null || FINAL_AGENT_STATUSES.has(record.status)) return
    this.#ctx.logger.info({ agentId }, message)
    await setAgentStatus(this.#ctx, agentId, status)
    await this.#ctx.store.units.expire([record.unitId])
    this.#onUnitChanged()
  }
}
