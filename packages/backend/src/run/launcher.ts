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

type UnitCounts = Readonly<Record<UnitStatus, number>>

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
  readonly #unitIds: string[]
  /** The units still to launch, in order: all of a new run's; a resumed run's still `created`. */
  readonly #unlaunched: string[]
  #next = 0
  #filling: Promise<unknown> = Promise.resolve()

  /**
   * `unlaunched` defaults to every unit. A resumed run passes only those
   * still `created`: walking past launched or finished ones used up the free
   * room while launching nothing, and with no later event to fill again the
   * run stalled with units never offered.
   */
  constructor(
    ctx: RunContext,
    unitIds: readonly string[],
    unlaunched: readonly string[] = unitIds,
  ) {
    this.#ctx = ctx
    this.#unitIds = [...unitIds]
    this.#unlaunched = [...unlaunched]
  }

  /** Units of items added to the live run: launched after the others, as the limit allows. */
  addUnits(unitIds: readonly string[]): void {
    this.#unitIds.push(...unitIds)
    this.#unlaunched.push(...unitIds)
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

  /** The progress, launching nothing (a paused run's last report). */
  count(activeOnboarding: number): Promise<RunProgress> {
    const result = this.#filling.then(async () =>
      this.#progressOf(
        await this.#ctx.store.units.summarize(this.#ctx.taskRunId),
        activeOnboarding,
      ),
    )
    this.#filling = result.catch(() => undefined)
    return result
  }

  async #fill(activeOnboarding: number): Promise<RunProgress> {
    const { store, settings, taskRunId } = this.#ctx
    let counts = await store.units.summarize(taskRunId)
    const open = counts.launched + counts.assigned
    // The live settings: paused launches nothing; a lowered limit launches
    // nothing until the open units fall under it (none is taken back).
    const { maxConcurrentUnits } = settings.current
    let room = settings.paused
      ? 0
      : maxConcurrentUnits > 0
        ? maxConcurrentUnits - open
        : this.#unitIds.length
    let launched = 0
    // A unit launched meanwhile by someone else (or finished) takes no room:
    // counted as room, it left the run waiting for an event that never came.
    while (room > 0 && this.#next < this.#unlaunched.length) {
      const batch = this.#unlaunched.slice(this.#next, this.#next + room)
      this.#next += batch.length
      const moved = await store.units.launch(batch)
      room -= moved
      launched += moved
    }
    if (launched > 0) counts = await store.units.summarize(taskRunId)
    return this.#progressOf(counts, activeOnboarding)
  }

  #progressOf(counts: UnitCounts, activeOnboarding: number): RunProgress {
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
