import type { Clock } from '@faust/protocol'

/** How a submission compares with what the agent handed in before. */
export type SubmissionVerdict = 'first' | 'same' | 'different'

/** Options of {@link SubmittedAgents}. */
export interface SubmittedAgentsOptions {
  readonly clock: Clock
  /** Agents remembered at once; the oldest is forgotten first. 0 turns the check off. */
  readonly max: number
  /** How long an agent's submission is remembered. */
  readonly ttlMs: number
}

/**
 * Agents that handed in final data, with a digest of it, so a second
 * `/submit_task` with other data is refused (ALREADY_SUBMITTED) instead of
 * accepted and silently dropped by the backend, while an identical retry
 * stays idempotent.
 * Bounded in count and age: entries are kept in insertion order, which is
 * also age order, so expiry only ever looks at the oldest.
 */
export class SubmittedAgents {
  readonly #options: SubmittedAgentsOptions
  readonly #entries = new Map<string, { digest: string; atMs: number }>()

  constructor(options: SubmittedAgentsOptions) {
    this.#options = options
  }

  /** Compares `digest` with the agent's earlier submission, if one is remembered. */
  check(agentId: string, digest: string): SubmissionVerdict {
    this.#expire()
    const entry = this.#entries.get(agentId)
    if (entry === undefined) return 'first'
    return entry.digest === digest ? 'same' : 'different'
  }

  /** Remembers the agent's first submission; later ones never replace it. */
  remember(agentId: string, digest: string): void {
    if (this.#options.max === 0 || this.#entries.has(agentId)) return
    if (this.#entries.size >= this.#options.max) {
      const oldest = this.#entries.keys().next()
      if (oldest.done !== true) this.#entries.delete(oldest.value)
    }
    this.#entries.set(agentId, { digest, atMs: this.#options.clock.now() })
  }

  get size(): number {
    return this.#entries.size
  }

  #expire(): void {
    const oldestKept = this.#options.clock.now() - this.#options.ttlMs
    for (const [agentId, entry] of this.#entries) {
      if (entry.atMs > oldestKept) return
      this.#entries.delete(agentId)
    }
  }
}
