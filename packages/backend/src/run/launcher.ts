import { FINISHED_UNIT_STATUSES, UnitStatus } from '../store/unit-status.js'
import type { RunContext } from '../services/context/run-context.js'

/** A run's progress, as the CLI shows it. */
export interface RunProgress {
  readonly total: number
  /** Created, not yet offered (waiting for a `maxConcurrentUnits` slot). */
  readonly waiting: number
  /** Offered to workers, nobody on it. */
  readonly launched: number
  /** A worker is on it. */
  readonly inProgress: number
  readonly completed: number
  readonly expired: number
  /** Workers on a unit or in onboarding right now. */
  readonly activeWorkers: number
  /** Every unit is completed (or later reviewed) or expired. */
  readonly done: boolean
}

const FINAL_UNIT_STATUSES: ReadonlySet<UnitStatus> = new Set([
  ...FINISHED_UNIT_STATUSES,
  UnitStatus.EXPIRED,
])

/**
 * Offers units to workers, at most `maxConcurrentUnits` at a time (offered or
 * being worked on), in the order they were created, and reports progress.
 */
export class Launcher {
  readonly #ctx: RunContext
  readonly #unitIds: readonly string[]
  #next = 0
  #filling: Promise<unknown> = Promise.resolve()

  constructor(ctx: RunContext, unitIds: readonly string[]) {
    this.#ctx = ctx
    this.#unitIds = unitIds
  }

  /**
   * Launches as many units as the limit allows; returns the progress after it.
   * Calls run one at a time: two at once (a refresh and `progress()`) both saw
   * the same free room and together launched past `maxConcurrentUnits`.
   */
  fill(activeOnboarding: number): Promise<RunProgress> {
    const result = this.#filling.then(() => this.#fill(activeOnboarding))
    this.#filling = result.catch(() => undefined)
    return result
  }

  async #fill(activeOnboarding: number): Promise<RunProgress> {
    const { store, task, taskRunId } = this.#ctx
    let counts = await store.units.summarize(taskRunId)
    const open = counts.launched + counts.assigned
    const room = task.maxConcurrentUnits > 0 ? task.maxConcurrentUnits - open : this.#unitIds.length
    if (room > 0 && this.#next < this.#unitIds.length) {
      const batch = this.#unitIds.slice(this.#next, this.#next + room)
      this.#next += batch.length
      await store.units.launch(batch)
      counts = await store.units.summarize(taskRunId)
    }
    const finished = FINISHED_UNIT_STATUSES.reduce((sum, status) => sum + counts[status], 0)
    const total = this.#unitIds.length
    return {
      total,
      waiting: counts.created,
      launched: counts.launched,
      inProgress: counts.assigned,
      completed: finished,
      expired: counts.expired,
      activeWorkers: counts.assigned + activeOnboarding,
      done: Object.entries(counts).every(
        ([status, n]) => n === 0 || FINAL_UNIT_STATUSES.has(status as UnitStatus),
      ),
    }
  }
}
