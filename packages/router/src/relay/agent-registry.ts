import type { AgentStatus, TimerHandle } from '@faust/protocol'
import type { AgentConnection } from './connection.js'
import { EndedAgents, type EndOptions } from './ended-agents.js'

/** What the router remembers about one agent. */
export interface RoutedAgent {
  readonly id: string
  /** The last status the backend pushed, or `disconnect` set by the router. */
  status: AgentStatus
  /** The socket packets for this agent go to; null while it has none. */
  connection: AgentConnection | null
  /** Packets waiting for a socket, oldest first; allocated on first use. */
  queue: Record<string, unknown>[] | null
  /** Clock time of the last `alive` or `heartbeat`; 0 if the agent never connected. */
  lastPingMs: number
  /** Fires `disconnect` when a closed socket is not replaced within the grace window. */
  graceTimer: TimerHandle | null
}

/**
 * Agent records plus the set of ids the backend has issued. An id must be
 * admitted before a socket or an HTTP call may speak for it, and a record is
 * only ever created for an admitted id, so strangers cannot grow router state.
 * When an agent's unit ends its record and admission are released and only
 * its last status is kept, among a bounded number of ended agents.
 */
export class AgentRegistry {
  readonly #records = new Map<string, RoutedAgent>()
  readonly #admitted = new Set<string>()
  readonly #ended: EndedAgents
  readonly #allowUnknown: boolean

  constructor(allowUnknownAgents: boolean, maxEndedAgents: number) {
    this.#allowUnknown = allowUnknownAgents
    this.#ended = new EndedAgents(maxEndedAgents)
  }

  /**
   * Records that the backend issued `agentId`. An ended agent named again
   * (a reload registering with the same registration id) stays among the
   * ended agents, which already admit it: it would never be released here.
   */
  admit(agentId: string): void {
    if (!this.#ended.has(agentId)) this.#admitted.add(agentId)
  }

  /** Withdraws an admission that no page ever learnt of. */
  revoke(agentId: string): void {
    this.#admitted.delete(agentId)
  }

  /** Whether `agentId` may connect or submit (always, with `allowUnknownAgents`). */
  isAdmitted(agentId: string): boolean {
    return this.#allowUnknown || this.#admitted.has(agentId) || this.#ended.has(agentId)
  }

  /**
   * Releases everything held for an agent whose unit ended, keeping only
   * `status` among the ended agents. Returns the released record, if any.
   */
  end(
    agentId: string,
    status: AgentStatus,
    options: Omit<EndOptions, 'connection'> = {},
  ): RoutedAgent | undefined {
    const record = this.delete(agentId)
    this.#admitted.delete(agentId)
    const connection = record?.connection?.isOpen === true ? record.connection : null
    this.#ended.remember(agentId, status, { ...options, connection })
    return record
  }

  /** Brings an ended agent back (the backend named it live again), with its open page if any. */
  revive(agentId: string): RoutedAgent {
    const connection = this.#ended.forget(agentId)
    this.admit(agentId)
    const record = this.getOrCreate(agentId)
    record.connection ??= connection
    return record
  }

  /** The last status of an ended agent still remembered, else undefined. */
  endedStatus(agentId: string): AgentStatus | undefined {
    return this.#ended.statusOf(agentId)
  }

  /** The ended agents (their last status and open socket). */
  get ended(): EndedAgents {
    return this.#ended
  }

  /** Ids admitted and not yet ended. */
  get admittedCount(): number {
    return this.#admitted.size
  }

  /** Ended agents remembered (at most `maxEndedAgents`). */
  get endedCount(): number {
    return this.#ended.size
  }

  get(agentId: string): RoutedAgent | undefined {
    return this.#records.get(agentId)
  }

  /** The record for an admitted id, created with status `none` if new. */
  getOrCreate(agentId: string): RoutedAgent {
    let record = this.#records.get(agentId)
    if (record === undefined) {
      record = {
        id: agentId,
        status: 'none',
        connection: null,
        queue: null,
        lastPingMs: 0,
        graceTimer: null,
      }
      this.#records.set(agentId, record)
    }
    return record
  }

  /** Forgets the record (status, socket, queue) but keeps the id admitted. */
  delete(agentId: string): RoutedAgent | undefined {
    const record = this.#records.get(agentId)
    this.#records.delete(agentId)
    return record
  }

  records(): IterableIterator<RoutedAgent> {
    return this.#records.values()
  }

  get size(): number {
    return this.#records.size
  }
}
