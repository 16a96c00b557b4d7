import type { Clock, TimerHandle } from '@faust/protocol'
import type { AgentRecord } from '../../store/agents-repository.js'

/**
 * Agents waiting for the partners of their assignment, each with its own
 * waiting-room timer (started when it entered). Pure bookkeeping: the runner
 * decides what leaving means.
 */
export class WaitingRoom {
  readonly #clock: Clock
  readonly #limitMs: number
  readonly #onTimeout: (agent: AgentRecord) => void
  readonly #byAssignment = new Map<string, Map<string, AgentRecord>>()
  readonly #timers = new Map<string, TimerHandle>()

  constructor(clock: Clock, limitMs: number, onTimeout: (agent: AgentRecord) => void) {
    this.#clock = clock
    this.#limitMs = limitMs
    this.#onTimeout = onTimeout
  }

  /**
   * Adds the agent and starts its timer (`limitMs`: a resumed agent's time
   * left); returns everyone now waiting for that assignment.
   */
  enter(agent: AgentRecord, limitMs = this.#limitMs): AgentRecord[] {
    let members = this.#byAssignment.get(agent.assignmentId)
    if (members === undefined) {
      members = new Map()
      this.#byAssignment.set(agent.assignmentId, members)
    }
    members.set(agent.id, agent)
    this.#timers.set(
      agent.id,
      this.#clock.setTimeout(() => {
        this.#timers.delete(agent.id)
        this.#onTimeout(agent)
      }, limitMs),
    )
    return [...members.values()]
  }

  /** The waiting agent with this id, if any. */
  find(agentId: string): AgentRecord | undefined {
    for (const members of this.#byAssignment.values()) {
      const agent = members.get(agentId)
      if (agent !== undefined) return agent
    }
    return undefined
  }

  /** Removes one agent; returns whether it was waiting. */
  leave(agentId: string): boolean {
    const agent = this.find(agentId)
    if (agent === undefined) return false
    this.#stopTimer(agentId)
    const members = this.#byAssignment.get(agent.assignmentId)
    members?.delete(agentId)
    if (members?.size === 0) this.#byAssignment.delete(agent.assignmentId)
    return true
  }

  /** Removes and returns everyone waiting for the assignment (it is launching). */
  take(assignmentId: string): AgentRecord[] {
    const members = [...(this.#byAssignment.get(assignmentId)?.values() ?? [])]
    for (const agent of members) this.#stopTimer(agent.id)
    this.#byAssignment.delete(assignmentId)
    return members
  }

  /** Stops every timer and forgets everyone (the run is ending). */
  clear(): void {
    for (const timer of this.#timers.values()) this.#clock.clearTimeout(timer)
    this.#timers.clear()
    this.#byAssignment.clear()
  }

  #stopTimer(agentId: string): void {
    const timer = this.#timers.get(agentId)
    if (timer === undefined) return
    this.#clock.clearTimeout(timer)
    this.#timers.delete(agentId)
  }
}
