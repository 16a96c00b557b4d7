/**
 * A set that remembers at most `max` values, forgetting the oldest first.
 * Used for delivered `update_id`s, which the reference keeps for the page's
 * whole life (docs/protocol.md W8).
 */
export class BoundedSet<TValue> {
  readonly #values = new Set<TValue>()
  readonly #max: number

  constructor(max: number) {
    this.#max = max
  }

  /** Whether `value` is remembered. */
  has(value: TValue): boolean {
    return this.#values.has(value)
  }

  /** Remembers `value`, forgetting the oldest value when full. */
  add(value: TValue): void {
    this.#values.add(value)
    // A Set iterates in insertion order, so the first value is the oldest.
    if (this.#values.size > this.#max) {
      for (const oldest of this.#values) {
        this.#values.delete(oldest)
        break
      }
    }
  }

  /** How many values are remembered. */
  get size(): number {
    return this.#values.size
  }
}
