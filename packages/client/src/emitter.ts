/**
 * A set of listeners for one kind of event. A listener that throws does not
 * stop the others or the connection: its error is rethrown on its own task,
 * where the page's error reporting sees it.
 */
export class Emitter<TEvent> {
  readonly #listeners = new Set<(event: TEvent) => void>()

  /** Adds `listener`; returns the function that removes it. */
  add(listener: (event: TEvent) => void): () => void {
    this.#listeners.add(listener)
    return () => {
      this.#listeners.delete(listener)
    }
  }

  /** Calls every listener with `event`. */
  emit(event: TEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event)
      } catch (error) {
        queueMicrotask(() => {
          throw error
        })
      }
    }
  }
}
