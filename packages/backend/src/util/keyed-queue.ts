/**
 * Runs async jobs one at a time per key, in arrival order; different keys run
 * concurrently. Registrations of one worker are serialised this way, so a
 * double-clicked page or two tabs cannot both pass the concurrency limit.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>()

  run<TResult>(key: string, job: () => Promise<TResult>): Promise<TResult> {
    const previous = this.#tails.get(key) ?? Promise.resolve()
    const result = previous.then(job, job)
    const tail = result.catch(() => undefined)
    this.#tails.set(key, tail)
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key)
    })
    return result
  }
}
