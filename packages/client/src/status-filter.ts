import { ENDING_STATUSES } from './agent-status.js'

/**
 * Delivers each status change once and in order: a repeat of the last status
 * is dropped (the router sends the current status on every connect), and so
 * is anything after an ending status, until {@link reset} for another agent.
 */
export class StatusFilter {
  #last: string | null = null
  #ended = false

  /** Whether `status` is news; remembers it if so. */
  accept(status: string): boolean {
    if (this.#ended || status === this.#last) return false
    this.#last = status
    this.#ended = ENDING_STATUSES.has(status)
    return true
  }

  /** Whether an ending status was delivered. */
  get ended(): boolean {
    return this.#ended
  }

  /** The last delivered status, or null. */
  get last(): string | null {
    return this.#last
  }

  /** Forgets everything: the page now speaks for another agent. */
  reset(): void {
    this.#last = null
    this.#ended = false
  }
}
