import { FINAL_AGENT_STATUSES, type AgentStatus } from '@faust/protocol'
import { BoundedMap } from '../util/bounded-map.js'

/** Ended agents whose final status is remembered, to skip reconciling them on every poll. */
const ENDED_REMEMBERED = 10_000

/**
 * The status last pushed for each agent. Agents still working are all kept
 * (re-announced after a reconnect); an agent whose status became final is
 * moved to a bounded set of ended agents, so a long run holds a fixed amount
 * of them. One forgotten there costs a store read when the router reports a
 * status for it, and is then pushed its final status again.
 */
export class PushedStatuses {
  readonly #live = new Map<string, AgentStatus>()
  readonly #ended = new BoundedMap<string, AgentStatus>(ENDED_REMEMBERED)

  /** Records a push; returns whether it ended the agent. */
  set(subjectId: string, status: AgentStatus): boolean {
    if (!FINAL_AGENT_STATUSES.has(status)) {
      this.#ended.delete(subjectId)
      this.#live.set(subjectId, status)
      return false
    }
    this.#live.delete(subjectId)
    this.#ended.set(subjectId, status)
    return true
  }

  get(subjectId: string): AgentStatus | undefined {
    return this.#live.get(subjectId) ?? this.#ended.get(subjectId)
  }

  /** Agents still working, with their last pushed status. */
  live(): IterableIterator<[string, AgentStatus]> {
    return this.#live.entries()
  }

  get liveCount(): number {
    return this.#live.size
  }

  get endedCount(): number {
    return this.#ended.size
  }
}
