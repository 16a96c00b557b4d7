import type { AgentStatus } from '@faust/protocol'
import type { AgentConnection } from './connection.js'

interface EndedAgent {
  status: AgentStatus
  /** The page's socket while one is open (a last answer may still go to it); never a closed one. */
  connection: AgentConnection | null
  /** Whether a live status from the backend brings the agent back (not after an answered onboarding). */
  readonly revivable: boolean
}

/** How an agent ended. */
export interface EndOptions {
  /** The page's socket, if one is still open. @default null */
  readonly connection?: AgentConnection | null
  /** @default true */
  readonly revivable?: boolean
  /** Whether the backend is told of the end in its next status poll. @default true */
  readonly report?: boolean
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
  /** Ended agents the backend's next status poll hears of (a subset of the above). */
  readonly #unreported = new Set<string>()
  readonly #capacity: number

  constructor(capacity: number) {
    this.#capacity = capacity
  }

  /** Records that `agentId` ended with `status` (again: the entry becomes the newest). */
  remember(agentId: string, status: AgentStatus, options: EndOptions = {}): void {
    this.forget(agentId)
    if (this.#capacity === 0) return
    const connection = options.connection ?? null
    this.#agents.set(agentId, { status, connection, revivable: options.revivable ?? true })
    if (options.report ?? true) this.#unreported.add(agentId)
    if (this.#agents.size > this.#capacity) {
      const oldest = this.#agents.keys().next()
      if (oldest.done !== true) this.forget(oldest.value)
    }
  }

  /** Drops an ended agent (it came back, or is the oldest); returns its open socket. */
  forget(agentId: string): AgentConnection | null {
    const agent = this.#agents.get(agentId)
    this.#agents.delete(agentId)
    this.#unreported.delete(agentId)
    return agent?.connection ?? null
  }

  /** Whether a live status may bring this ended agent back. */
  isRevivable(agentId: string): boolean {
    return this.#agents.get(agentId)?.revivable === true
  }

  /** The statuses of agents that ended since the last call: each is reported once. */
  takeUnreported(): [string, AgentStatus][] {
    const entries: [string, AgentStatus][] = []
    for (const agentId of this.#unreported) {
      const status = this.#agents.get(agentId)?.status
      if (status !== undefined) entries.push([agentId, status])
    }
    this.#unreported.clear()
    return entries
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
