/**
 * A Map that keeps at most `capacity` entries, forgetting the one set
 * longest ago first: for what is remembered about agents after they are
 * done, so a run of any length holds a fixed amount of it.
 */
export class BoundedMap<TKey, TValue> {
  // A Map iterates in insertion order: the first key is the oldest.
  readonly #entries = new Map<TKey, TValue>()
  readonly #capacity: number

  constructor(capacity: number) {
    this.#capacity = capacity
  }

  get(key: TKey): TValue | undefined {
    return this.#entries.get(key)
  }

  /** Sets `key` (as the newest entry), forgetting the oldest past the capacity. */
  set(key: TKey, value: TValue): void {
    this.#entries.delete(key)
    if (this.#capacity === 0) return
    this.#entries.set(key, value)
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next()
      if (oldest.done !== true) this.#entries.delete(oldest.value)
    }
  }

  delete(key: TKey): boolean {
    return this.#entries.delete(key)
  }

  get size(): number {
    return this.#entries.size
  }
}
