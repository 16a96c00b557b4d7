import type { AgentStatus } from '@faust/protocol'
import type { AgentRecord } from '../../store/agents-repository.js'
import type { WorkerRecord } from '../../store/workers-repository.js'
import type { RunContext } from '../context/run-context.js'
import type { WorkerInfo } from '../../definition/task-info.js'
import { goldQualifications, type GoldCounts } from '../../definition/quality-options.js'
import { runHook } from '../../util/run-hook.js'
import type { QualificationRequirement } from '../../definition/qualification-requirement.js'

/** The reference's `unit_index` of a screening unit (`SCREENING_UNIT_INDEX`). */
export const SCREENING_UNIT_INDEX = -1
/** The reference's `unit_index` of a gold unit (`GOLD_UNIT_INDEX`). */
export const GOLD_UNIT_INDEX = -2

/** What a registration gets after onboarding (docs/protocol.md §4.2 steps 6–7). */
export type QualityRoute =
  | { readonly kind: 'regular' }
  | { readonly kind: 'refuse'; readonly reason: 'NO_AVAILABLE_UNITS' | 'NOT_QUALIFIED' }
  | { readonly kind: 'special'; readonly unitIndex: number; readonly data: unknown }

/** A submitted unit, as scoring needs it. */
export interface ScoredSubmission {
  readonly unitIndex: number
  readonly workerId: string
  /** The unit's shared data: the screening item or the gold. */
  readonly inputs: unknown
  readonly outputs: unknown
}

/**
 * Screening and gold units (Mephisto's `ScreenTaskRequired` and
 * `UseGoldUnit`, docs/protocol.md §4.2 steps 6–7, §7.5): which worker gets one instead of a
 * real unit, launching it (its own assignment, `unit_index` -1 or -2, the
 * worker's only candidate), and scoring it once submitted, into
 * qualifications. The launch counters live here, in memory, as in the
 * reference: a run is never resumed.
 */
export class QualityControl {
  readonly #ctx: RunContext
  readonly #scoring = new Set<Promise<unknown>>()
  #screeningLaunched = 0
  #goldsLaunched = 0
  #screeningItems: Iterator<unknown> | null | undefined

  constructor(ctx: RunContext) {
    this.#ctx = ctx
  }

  /**
   * The run's quality control, or null when the task has neither screening
   * nor golds. One per run: the run hands it to the worker pool (which
   * routes) and to the runner (which scores).
   */
  static forRun(ctx: RunContext): QualityControl | null {
    if (ctx.task.screening === undefined && ctx.task.golds === undefined) return null
    return new QualityControl(ctx)
  }

  /** Whether a unit is a screening or gold one (never offered again, not a result by default). */
  static isSpecial(unitIndex: number): boolean {
    return unitIndex < 0
  }

  /** The qualifications whose presence refuses a worker: failed screening, gold disqualification. */
  requirements(): QualificationRequirement[] {
    const { screening, golds } = this.#ctx.task
    const names: string[] = []
    if (screening !== undefined) names.push(screening.blockQualification)
    if (golds !== undefined) names.push(goldQualifications(golds.qualificationBase).disqualified)
    return names.map((qualificationName) => ({ qualificationName, comparator: 'DoesNotExist' }))
  }

  /**
   * Keeps a submission in view until it is stored and scored: a page
   * submits, then at once asks for its next unit, and that registration must
   * see the verdict (or a worker who just passed screening got a second
   * screening unit).
   */
  track<TResult>(submission: Promise<TResult>): Promise<TResult> {
    this.#scoring.add(submission)
    void submission
      .catch(() => undefined)
      .finally(() => this.#scoring.delete(submission))
      .catch(() => undefined)
    return submission
  }

  /**
   * Resolves once the submissions being stored and scored now are done (not
   * later ones: a stream of submissions must not starve registrations).
   */
  async settled(): Promise<void> {
    if (this.#scoring.size === 0) return
    this.#ctx.logger.debug(
      { submissions: this.#scoring.size },
      'registration waits for submissions being scored',
    )
    await Promise.allSettled([...this.#scoring])
  }

  /** Chooses between a real unit, a screening or gold unit, and a refusal. */
  async route(worker: WorkerRecord): Promise<QualityRoute> {
    await this.settled()
    const { screening, golds } = this.#ctx.task
    const grants = await this.#grants(worker.id)
    if (screening !== undefined) {
      if (grants.has(screening.passedQualification) || screening.data === false) {
        return { kind: 'regular' }
      }
      const data = this.#nextScreeningItem()
      if (data === undefined) return { kind: 'refuse', reason: 'NO_AVAILABLE_UNITS' }
      return { kind: 'special', unitIndex: SCREENING_UNIT_INDEX, data }
    }
    if (golds === undefined) return { kind: 'regular' }
    const counts = this.#goldCounts(grants)
    // Normally refused by `requirements()` already; kept for a grant revoked by hand.
    if (counts.wrong > golds.maxIncorrect) return { kind: 'refuse', reason: 'NOT_QUALIFIED' }
    // Below `minGolds` right, a gold whatever the schedule says (the
    // reference leaves that to `worker_needs_gold`; a task's own schedule
    // should not have to repeat it).
    if (counts.correct >= golds.minGolds) {
      if (this.#goldsLaunched >= golds.maxUnits) return { kind: 'regular' }
      const needsGold = golds.needsGold
      if ((await runHook(this.#ctx.logger, 'golds.needsGold', () => needsGold(counts))) !== true) {
        return { kind: 'regular' }
      }
    }
    if (this.#goldsLaunched >= golds.maxUnits)
      return { kind: 'refuse', reason: 'NO_AVAILABLE_UNITS' }
    // Counted before asking for the gold, so that registrations at once
    // cannot launch past `maxUnits`; given back if there is no gold.
    this.#goldsLaunched += 1
    const getGold = golds.getGold
    const gold = await runHook(this.#ctx.logger, 'golds.getGold', () =>
      getGold(workerInfo(worker), counts),
    )
    if (gold === undefined) {
      this.#goldsLaunched -= 1
      return { kind: 'refuse', reason: 'NO_AVAILABLE_UNITS' }
    }
    return { kind: 'special', unitIndex: GOLD_UNIT_INDEX, data: gold }
  }

  /**
   * Launches the screening or gold unit (its own assignment, created
   * `launched`) and reserves it for the worker, in one transaction.
   */
  async launch(
    worker: WorkerRecord,
    route: { readonly unitIndex: number; readonly data: unknown },
    request: { readonly registrationId: string | null; readonly statuses: readonly AgentStatus[] },
  ): Promise<{ agent: AgentRecord } | null> {
    const { store, task, taskRunId } = this.#ctx
    const reservation = await store.batched(async (tx) => {
      const [assignment] = await tx.assignments.create(
        taskRunId,
        [{ sharedData: route.data, units: [{ pay: task.pay, unitIndex: route.unitIndex }] }],
        { launch: true },
      )
      const unit = assignment?.units[0]
      if (unit === undefined) return null
      return tx.agents.reserveUnit({
        unitIds: [unit.id],
        workerId: worker.id,
        registrationId: request.registrationId,
        initData: route.data,
        statuses: request.statuses,
      })
    })
    return reservation?.ok === true ? reservation.value : null
  }

  /**
   * Scores a stored submission: a screening unit (or, with `data: false`, the
   * first real unit of a worker not yet screened) grants the passed or the
   * block qualification; a gold counts as right or wrong, and one wrong too
   * many grants `<base>-disqualified`; a real unit counts as completed.
   */
  async score(submission: ScoredSubmission): Promise<void> {
    const { screening, golds } = this.#ctx.task
    const { store, logger } = this.#ctx
    const { workerId } = submission
    const answers = { inputs: submission.inputs, outputs: submission.outputs }
    if (screening !== undefined) {
      const screened =
        submission.unitIndex === SCREENING_UNIT_INDEX ||
        (screening.data === false &&
          submission.unitIndex >= 0 &&
          (await this.#unscreened(workerId, screening)))
      if (!screened) return
      const validate = screening.validate
      const passed = (await runHook(logger, 'screening.validate', () => validate(answers))) === true
      const name = passed ? screening.passedQualification : screening.blockQualification
      await store.qualifications.grant({ name, workerId, value: 1 })
      logger.info({ workerId, passed }, 'screening scored')
      return
    }
    if (golds === undefined) return
    const names = goldQualifications(golds.qualificationBase)
    const counts = this.#goldCounts(await this.#grants(workerId))
    if (submission.unitIndex !== GOLD_UNIT_INDEX) {
      if (submission.unitIndex >= 0) {
        await store.qualifications.grant({
          name: names.completed,
          workerId,
          value: counts.completed + 1,
        })
      }
      return
    }
    const check = golds.check
    const correct = (await runHook(logger, 'golds.check', () => check(answers))) === true
    if (correct) {
      await store.qualifications.grant({ name: names.correct, workerId, value: counts.correct + 1 })
    } else {
      const wrong = counts.wrong + 1
      await store.qualifications.grant({ name: names.wrong, workerId, value: wrong })
      if (wrong > golds.maxIncorrect) {
        await store.qualifications.grant({ name: names.disqualified, workerId, value: 1 })
      }
    }
    logger.info({ workerId, correct }, 'gold scored')
  }

  /** The next screening item, or undefined when the cap is reached or the data is used up. */
  #nextScreeningItem(): unknown {
    const screening = this.#ctx.task.screening
    if (screening === undefined || screening.data === false) return undefined
    if (this.#screeningLaunched >= screening.maxUnits) return undefined
    let item: unknown
    if (Array.isArray(screening.data)) {
      item = (screening.data as readonly unknown[])[this.#screeningLaunched]
    } else {
      if (this.#screeningItems === undefined) this.#screeningItems = this.#startGenerator()
      item = this.#pull()
    }
    // Counted before the launch's first await: two registrations at once
    // cannot both take the last screening unit.
    if (item !== undefined) this.#screeningLaunched += 1
    return item
  }

  #startGenerator(): Iterator<unknown> | null {
    const data = this.#ctx.task.screening?.data
    if (typeof data !== 'function') return null
    try {
      const made = data()
      if (Symbol.iterator in made) return made[Symbol.iterator]()
      return made
    } catch (error) {
      this.#ctx.logger.error({ err: error }, 'screening.data threw; no screening units')
      return null
    }
  }

  #pull(): unknown {
    const items = this.#screeningItems
    if (items === null || items === undefined) return undefined
    try {
      const next = items.next()
      if (next.done === true) {
        this.#screeningItems = null
        return undefined
      }
      return next.value
    } catch (error) {
      this.#ctx.logger.error({ err: error }, 'screening.data threw; no more screening units')
      this.#screeningItems = null
      return undefined
    }
  }

  async #unscreened(
    workerId: string,
    screening: { readonly passedQualification: string; readonly blockQualification: string },
  ): Promise<boolean> {
    const grants = await this.#grants(workerId)
    return !grants.has(screening.passedQualification) && !grants.has(screening.blockQualification)
  }

  async #grants(workerId: string): Promise<Map<string, number>> {
    const grants = await this.#ctx.store.qualifications.listForWorker(workerId)
    return new Map(grants.map((grant) => [grant.qualificationName, grant.value]))
  }

  #goldCounts(grants: ReadonlyMap<string, number>): GoldCounts {
    const golds = this.#ctx.task.golds
    if (golds === undefined) return { completed: 0, correct: 0, wrong: 0, minGolds: 0 }
    const names = goldQualifications(golds.qualificationBase)
    return {
      completed: grants.get(names.completed) ?? 0,
      correct: grants.get(names.correct) ?? 0,
      wrong: grants.get(names.wrong) ?? 0,
      minGolds: golds.minGolds,
    }
  }
}

function workerInfo(worker: WorkerRecord): WorkerInfo {
  return { id: worker.id, name: worker.workerName, providerType: worker.providerType }
}
