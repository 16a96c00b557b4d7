// The options of screening and gold units (Mephisto's `ScreenTaskRequired`
// and `UseGoldUnit` mixins, docs/protocol.md §7.5), their checks and their defaults. Kept out
// of define-task.ts, which only plugs them in.
import * as v from 'valibot'
import type { OnboardingAnswers, WorkerInfo } from './task-info.js'
import { TaskDefinitionError } from '../util/backend-error.js'

/** Screening data: a list (each item used once, in order), a generator function, or `false`. */
export type ScreeningData =
  readonly unknown[] | (() => Iterator<unknown> | Iterable<unknown>) | false

/** A test unit given to a worker before any real unit (Mephisto's screening task). */
export interface ScreeningOptions {
  /**
   * What each screening unit shows (its `init_task_data`): a list whose items
   * are handed out once each, in order, or a generator function (called once
   * per run; each screening unit takes its next value, and when it is done no
   * screening unit is left). `false`: no screening unit; the worker's first
   * real unit is validated instead (its result stays a real result).
   */
  readonly data: ScreeningData
  /** Whether the submission passes. A throw counts as a fail. */
  readonly validate: (answers: OnboardingAnswers) => boolean | Promise<boolean>
  /** Granted (value 1) on a pass. @default `<task name>-screening-passed` */
  readonly passedQualification?: string | undefined
  /**
   * Granted (value 1) on a fail; its presence refuses the worker
   * (`NOT_QUALIFIED`). The task's `blockQualification` may be named here, as
   * the reference does. @default `<task name>-screening-failed`
   */
  readonly blockQualification?: string | undefined
  /** Screening units launched at most in a run; then new workers get `NO_AVAILABLE_UNITS`. */
  readonly maxUnits: number
}

/** What a gold schedule (`needsGold`) is told about a worker. */
export interface GoldCounts {
  /** Real units the worker completed (`<base>-completed-count`). */
  readonly completed: number
  readonly correct: number
  readonly wrong: number
  readonly minGolds: number
}

/** Units with a known answer mixed into a worker's real units (Mephisto's gold units). */
export interface GoldOptions {
  /** The gold items; each worker goes through them in order, starting over after the last. */
  readonly units?: readonly unknown[] | undefined
  /** Or: the gold for this worker; `undefined` means none left (`NO_AVAILABLE_UNITS`). */
  readonly getGold?: ((worker: WorkerInfo, counts: GoldCounts) => unknown) | undefined
  /** Whether the answer to a gold (`inputs`) is right. A throw counts as wrong. */
  readonly check: (answers: OnboardingAnswers) => boolean | Promise<boolean>
  /** Names the four counting qualifications `<base>-…`. @default the task name */
  readonly qualificationBase?: string | undefined
  /** Golds a worker must get right before its first real unit. @default 1 */
  readonly minGolds?: number | undefined
  /** Wrong golds tolerated; one more disqualifies the worker. @default 0 */
  readonly maxIncorrect?: number | undefined
  /** Gold units launched at most in a run (beyond the first `minGolds` of each worker, as in the reference). */
  readonly maxUnits: number
  /** When a qualified worker gets a gold instead of a real unit. @default the reference's log-scaled schedule */
  readonly needsGold?: ((counts: GoldCounts) => boolean) | undefined
}

/** Screening with every default applied. */
export interface ScreeningDefinition {
  readonly data: ScreeningData
  readonly validate: ScreeningOptions['validate']
  readonly passedQualification: string
  readonly blockQualification: string
  readonly maxUnits: number
}

/** Golds with every default applied; `getGold` is set whichever form was given. */
export interface GoldDefinition {
  readonly getGold: (worker: WorkerInfo, counts: GoldCounts) => unknown
  readonly check: GoldOptions['check']
  readonly qualificationBase: string
  readonly minGolds: number
  readonly maxIncorrect: number
  readonly maxUnits: number
  readonly needsGold: (counts: GoldCounts) => boolean
}

const qualificationName = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1),
  v.maxLength(200),
  v.regex(/^[\w.-]+$/, 'use letters, digits, "_", "-" and "."'),
)
const positive = v.pipe(v.number(), v.integer(), v.minValue(1))
const atLeastZero = v.pipe(v.number(), v.integer(), v.minValue(0))

/** The valibot schema of {@link ScreeningOptions}. */
export const ScreeningSchema = v.strictObject({
  data: v.union(
    [v.array(v.unknown()), v.function(), v.literal(false)],
    'a list, a generator function, or false',
  ),
  validate: v.function(),
  passedQualification: v.optional(qualificationName),
  blockQualification: v.optional(qualificationName),
  maxUnits: positive,
})

/** The valibot schema of {@link GoldOptions}. */
export const GoldSchema = v.strictObject({
  units: v.optional(v.array(v.unknown())),
  getGold: v.optional(v.function()),
  check: v.function(),
  qualificationBase: v.optional(qualificationName),
  minGolds: v.optional(atLeastZero),
  maxIncorrect: v.optional(atLeastZero),
  maxUnits: positive,
  needsGold: v.optional(v.function()),
})

/**
 * The reference's schedule (`worker_needs_gold`): every gold until `minGolds`
 * are right, then about one gold in twenty units at 100 completed and one in
 * a hundred at 1000 (the correct golds beyond `minGolds + wrong` must keep up
 * with `ceil(log10(completed + 1) ^ 2.2) - 1`).
 */
export function referenceNeedsGold(counts: GoldCounts): boolean {
  if (counts.correct < counts.minGolds) return true
  const excess = counts.correct - (counts.minGolds + counts.wrong)
  const target = Math.ceil(Math.pow(Math.log10(counts.completed + 1), 2.2)) - 1
  return excess < target
}

/** The task's screening with defaults; throws a {@link TaskDefinitionError} for what the schema cannot say. */
export function screeningDefinition(
  taskName: string,
  options: ScreeningOptions,
): ScreeningDefinition {
  if (Array.isArray(options.data) && options.data.length === 0) {
    throw new TaskDefinitionError(
      'TASK_DEFINITION_INVALID',
      'defineTask: screening.data: the list is empty (use false for none)',
    )
  }
  const definition = {
    data: options.data,
    validate: options.validate,
    passedQualification: options.passedQualification ?? `${taskName}-screening-passed`,
    blockQualification: options.blockQualification ?? `${taskName}-screening-failed`,
    maxUnits: options.maxUnits,
  }
  if (definition.passedQualification === definition.blockQualification) {
    throw new TaskDefinitionError(
      'TASK_DEFINITION_INVALID',
      'defineTask: screening: passedQualification and blockQualification must differ',
    )
  }
  return Object.freeze(definition)
}

/** The task's golds with defaults; throws a {@link TaskDefinitionError} for what the schema cannot say. */
export function goldDefinition(taskName: string, options: GoldOptions): GoldDefinition {
  const { units, getGold } = options
  if ((units === undefined) === (getGold === undefined)) {
    throw new TaskDefinitionError(
      'TASK_DEFINITION_INVALID',
      'defineTask: golds: give either units (a list) or getGold (a function)',
    )
  }
  if (units?.length === 0)
    throw new TaskDefinitionError(
      'TASK_DEFINITION_INVALID',
      'defineTask: golds.units: the list is empty',
    )
  return Object.freeze({
    getGold:
      getGold ??
      ((_worker: WorkerInfo, counts: GoldCounts) =>
        // Each worker goes through the golds in order (the reference shuffles).
        units?.[(counts.correct + counts.wrong) % units.length]),
    check: options.check,
    qualificationBase: options.qualificationBase ?? taskName,
    minGolds: options.minGolds ?? 1,
    maxIncorrect: options.maxIncorrect ?? 0,
    maxUnits: options.maxUnits,
    needsGold: options.needsGold ?? referenceNeedsGold,
  })
}

/** The four qualifications golds keep per worker (docs/protocol.md §7.5). */
export function goldQualifications(base: string): {
  readonly correct: string
  readonly wrong: string
  readonly disqualified: string
  readonly completed: string
} {
  return {
    correct: `${base}-correct-golds`,
    wrong: `${base}-wrong-golds`,
    disqualified: `${base}-disqualified`,
    completed: `${base}-completed-count`,
  }
}
