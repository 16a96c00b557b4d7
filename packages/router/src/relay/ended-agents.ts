import type { AgentStatus } from '@faust/protocol'
import type { AgentConnection } from './connection.js'

interface EndedAgent {
  status: AgentStatus
  /** The page's socket while one is open (a last answer may still go to it); never a closed one. */
  connection: AgentConnection | null
}

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
  readonly #agents = new Map<string, EndedAgent>()
  readonly #capacity: number

  constructor(capacity: number) {
    this.#capacity = capacity
  }

  /**
   * Records that `agentId` ended with `status`, and the socket it still has
   * (again: the entry becomes the newest).
   */
  remember(agentId: string, status: AgentStatus, connection: AgentConnection | null = null): void {
    this.#agents.delete(agentId)
    if (this.#capacity === 0) return
    this.#agents.set(agentId, { status, connection })
    if (this.#agents.size > this.#capacity) {
      const oldest = this.#agents.keys().next()
      if (oldest.done !== true) this.#agents.delete(oldest.value)
    }
  }

  /** Updates the status of an ended agent without making it newer; false if not remembered. */
  update(agentId: string, status: AgentStatus): boolean {
    const agent = this.#agents.get(agentId)
    if (agent === undefined) return false
    agent.status = status
    return true
  }

  /** The last status of an ended agent, or undefined if it is not (or no longer) remembered. */
  statusOf(agentId: string): AgentStatus | undefined {
    return this.#agents.get(agentId)?.status
  }

  has(agentId: string): boolean {
    return this.#agents.has(agentId)
  }

  /** The ended agent's open socket, if it has one. */
  connectionOf(agentId: string): AgentConnection | null {
    return this.#agents.get(agentId)?.connection ?? null
  }

  /** A page of an ended agent connected (a reload): answers go to it. */
  bind(agentId: string, connection: AgentConnection): void {
    const agent = this.#agents.get(agentId)
    if (agent !== undefined) agent.connection = connection
  }

  /** The socket closed: not kept, so a closed socket's memory is never held here. */
  unbind(agentId: string, connection: AgentConnection): void {
    const agent = this.#agents.get(agentId)
    if (agent?.connection === connection) agent.connection = null
  }

  get size(): number {
    return this.#agents.size
  }
}
