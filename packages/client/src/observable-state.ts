/** Something whose current value can be read and watched: the shape `useSyncExternalStore` takes. */
export interface Subscribable<TSnapshot> {
  // Function properties, not methods: they are passed around unbound.
  /** Calls `listener` after every change; returns the function that stops it. */
  readonly subscribe: (listener: () => void) => () => void
  /** The current value: the same object until something changes. */
  readonly getSnapshot: () => TSnapshot
}

/**
 * A {@link Subscribable} holding an immutable snapshot that is replaced, never
 * mutated, so a snapshot can be compared by identity.
 */
export class ObservableState<TState extends object> implements Subscribable<TState> {
  #state: TState
  readonly #listeners = new Set<() => void>()

  constructor(initial: TState) {
    this.#state = initial
  }

  /** {@inheritDoc Subscribable.subscribe} */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener)
    return () => {
      this.#listeners.delete(listener)
    }
  }

  /** {@inheritDoc Subscribable.getSnapshot} */
  readonly getSnapshot = (): TState => this.#state

  /** Merges `patch` into a new snapshot; listeners hear of it only if a value changed. */
  protected update(patch: Partial<TState>): void {
    const current = this.#state
    const changed = (Object.keys(patch) as (keyof TState)[]).some(
      (key) => !Object.is(patch[key], current[key]),
    )
    if (!changed) return
    this.#state = { ...current, ...patch }
    for (const listener of [...this.#listeners]) listener()
  }
}
