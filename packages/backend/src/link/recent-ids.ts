/**
 * Remembers the last `capacity` ids seen, to drop repeated live updates by
 * `update_id` without the reference's ever-growing set (docs/protocol.md W8).
 */
export class RecentIds {
  readonly #seen = new Set<string>()
  readonly #capacity: number

  constructor(capacity: number) {
    this.#capacity = capacity
  }

  /** Records `id`; returns false if it was already seen. */
  add(id: string): boolean {
    if (this.#seen.has(id)) return false
    this.#seen.add(id)
    if (this.#seen.size > this.#capacity) {
      // A Set iterates in insertion order: the first entry is the oldest.
      const oldest = this.#seen.values().next().value
      if (oldest !== undefined) this.#seen.delete(oldest)
    }
    return true
  }
}
