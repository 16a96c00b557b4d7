import type { BackendLogger } from '../util/logger.js'
import type { RunProgress } from './launcher.js'

/** Progress is recounted at most this often (see schedule); a display needs no more. */
const REFRESH_WINDOW_MS = 100

/**
 * A run's progress: recounts it after changes, tells the listeners, and
 * resolves `done` once every unit is final.
 *
 * Refreshes never interleave, and the changes of a short window are folded
 * into one: a refresh counts every unit of the run (a scan of a big run), so
 * doing one per registration cost more than the registration itself. The
 * window is I/O batching on the real event loop, not run time, so it is not
 * on the injected clock (a fake clock would stall progress).
 */
export class RunProgressTracker {
  readonly done: Promise<RunProgress>
  readonly #count: () => Promise<RunProgress>
  readonly #logger: BackendLogger
  readonly #listeners = new Set<(progress: RunProgress) => void>()
  #finish: (progress: RunProgress) => void = () => undefined
  #refreshing: Promise<unknown> = Promise.resolve()
  #pending = false

  /** `count` fills what can be launched and counts the run's units. */
  constructor(count: () => Promise<RunProgress>, logger: BackendLogger) {
    this.#count = count
    this.#logger = logger
    this.done = new Promise<RunProgress>((resolveDone) => (this.#finish = resolveDone))
  }

  /** Adds a listener; returns its removal. */
  listen(listener: (progress: RunProgress) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Asks for a refresh at the end of the current window (one per window). */
  schedule(): void {
    if (this.#pending) return
    this.#pending = true
    this.#refreshing = this.#refreshing
      .then(() => new Promise((resolveWindow) => setTimeout(resolveWindow, REFRESH_WINDOW_MS)))
      .then(() => {
        this.#pending = false
        return this.#refresh()
      })
      .catch((error: unknown) => {
        this.#logger.error({ err: error }, 'progress refresh failed')
      })
  }

  /** Resolves once the refreshes asked for so far are done. */
  settled(): Promise<unknown> {
    return this.#refreshing
  }

  /** Ends the run's progress with its last count. */
  finish(progress: RunProgress): void {
    this.#finish(progress)
  }

  async #refresh(): Promise<RunProgress> {
    const progress = await this.#count()
    for (const listener of this.#listeners) listener(progress)
    if (progress.done) this.#finish(progress)
    return progress
  }
}
