import type { AgentStatus } from '@faust/protocol'

/**
 * Agents whose unit has ended (a final status, a hand-in, an answered
 * onboarding), with the last status the router knew for each. Their live
 * records are released; this is what lets a late packet (a reload, a last
 * heartbeat, a repeated submission) still be answered as for that agent
 * rather than as for a stranger. Bounded: past `capacity` the agent that ended
 * longest ago is forgotten, so a long run's memory stays flat.
 */
export class EndedAgents {
  // A Map iterates in insertion order, so the first key is the oldest.
  readonly #statuses = new Map<string, AgentStatus>()
  readonly #capacity: number

  constructor(capacity: number) {
    this.#capacity = capacity
  }

  /** Records that `agentId` ended with `status` (again: the entry becomes the newest). */
  remember(agentId: string, status: AgentStatus): void {
    this.#statuses.delete(agentId)
    if (this.#capacity === 0) return
    this.#statuses.set(agentId, status)
    if (this.#statuses.size > this.#capacity) {
      const oldest = this.#statuses.keys().next()
      if (oldest.done !== true) this.#statuses.delete(oldest.value)
    }
  }

  /** Updates the status of an ended agent without making it newer; false if not remembered. */
  update(agentId: string, status: AgentStatus): boolean {
    if (!this.#statuses.has(agentId)) return false
    this.#statuses.set(agentId, status)
    return true
  }

  /** The last status of an ended agent, or undefined if it is not (or no longer) remembered. */
  statusOf(agentId: string): AgentStatus | undefined {
    return this.#statuses.get(agentId)
  }

  has(agentId: string): boolean {
    return this.#statuses.has(agentId)
  }

  get size(): number {
    return this.#statuses.size
  }
}
