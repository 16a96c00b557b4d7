import * as v from 'valibot'
import { formatIssues } from '@faust/protocol'
import { COMPARATORS, type QualificationRequirement } from './qualification-requirement.js'
import type { LiveTaskOptions, LiveTaskSettings } from './live-task-options.js'
import {
  DEFAULT_REMOTE_PROCEDURE_MAX_IN_FLIGHT,
  DEFAULT_REMOTE_PROCEDURE_TIMEOUT_SECONDS,
  type RemoteProcedures,
} from './remote-procedure.js'
import {
  GoldSchema,
  ScreeningSchema,
  goldDefinition,
  screeningDefinition,
  type GoldDefinition,
  type GoldOptions,
  type ScreeningDefinition,
  type ScreeningOptions,
} from './quality-options.js'
import type { OnboardingAnswers, SubmittedUnit, UnitInfo, WorkerInfo } from './task-info.js'
import { BotSchema, botProblem, type BotOptions } from './bot-options.js'
import {
  TaskListingSchema,
  taskListingFor,
  type TaskListing,
  type TaskListingOptions,
} from './task-listing.js'
import { TaskDefinitionError } from '../util/backend-error.js'

export type { OnboardingAnswers, SubmittedUnit, UnitInfo, WorkerInfo } from './task-info.js'

/** The options of {@link defineTask}. */
export interface TaskOptions<TData = unknown> extends LiveTaskOptions<TData> {
  /** The task's name; `maximumUnitsPerWorker` counts over every run with this name. */
  readonly name: string
  /**
   * `static`: the page gets its item and submits once. `remote-procedure`
   * (Mephisto's blueprint): the same, and the page calls `remoteProcedures`;
   * its init data is `{ task_data, previous_requests }`. `concurrent`:
   * `unitsPerAssignment` workers wait for each other, then `run` drives them
   * live (see docs/backend.md). @default 'static'
   */
  readonly taskType?: TaskType | undefined
  /** The built page's folder (with `index.html`), relative to the task file. */
  readonly page: string
  /**
   * The task's own review component for the console's review queue, relative
   * to the task file: a `.tsx`, `.jsx`, `.ts` or `.js` module whose default
   * export is a React component taking `ReviewProps` (@faust/react/review).
   * `faust run` bundles it (docs/console.md, "The task's own review view").
   * Without it the console shows a generic view of the data and files.
   */
  readonly review?: string | undefined
  /** One item per assignment: an array, or a `.json`, `.jsonl` or `.csv` file relative to the task file. */
  readonly data: readonly TData[] | string
  /** @default 1 */
  readonly unitsPerAssignment?: number | undefined
  /** Pay per unit, in the provider's currency. @default 0 */
  readonly pay?: number | undefined
  /** Local qualifications a worker must meet, checked in order. */
  readonly qualifications?: readonly QualificationRequirement[] | undefined
  /** Units one worker may do over every run of this task; 0 = no limit. @default 0 */
  readonly maximumUnitsPerWorker?: number | undefined
  /** Units one worker may hold at once in a run; 0 = no limit. @default 0 */
  readonly allowedConcurrent?: number | undefined
  /** Units launched (offered or being worked on) at once; 0 = all. @default 0 */
  readonly maxConcurrentUnits?: number | undefined
  /** How long a worker has to submit a unit (or onboarding). @default 1800 */
  readonly assignmentDurationSeconds?: number | undefined
  /** A worker granted this qualification (any value) is refused; `faust block` grants it. @default 'blocked' */
  readonly blockQualification?: string | undefined
  /**
   * A worker who reloads a unit already handed in gets the stored answer back
   * (`agent_details.data.submitted_data`), to show it. @default false
   */
  readonly showSubmittedAnswer?: boolean | undefined
  /** Extra keys for `task_config.json` (e.g. `task_title`), passed to the page. */
  readonly taskConfig?: Readonly<Record<string, unknown>> | undefined
  /**
   * The language of every text a worker sees (a BCP 47 tag; `en` and `es`
   * ship with `@faust/client`), passed to the page as `taskConfig.locale`.
   * @default 'en'
   */
  readonly locale?: string | undefined
  /**
   * The task's own words by locale, then message key (docs/client.md "Worker
   * messages and languages"), over the shipped catalogues; passed to the page
   * as `taskConfig.messages`. A locale nobody ships can be given whole.
   */
  readonly messages?: Readonly<Record<string, Readonly<Record<string, string>>>> | undefined
  /** What a crowd platform (Prolific, MTurk) shows workers: title, description, keywords, minutes (see task-listing.ts). */
  readonly listing?: TaskListingOptions | undefined
  /** Whether this worker may do this unit (after every other filter). */
  readonly workerCanDoUnit?:
    ((worker: WorkerInfo, unit: UnitInfo) => boolean | Promise<boolean>) | undefined
  /** A qualifying step before the first unit. */
  readonly onboarding?:
    | {
        readonly data: unknown
        readonly validate: (answers: OnboardingAnswers) => boolean | Promise<boolean>
        /** @default `<name>-onboarding` */
        readonly qualificationName?: string | undefined
      }
    | undefined
  /** A screening unit before a worker's first real unit (needs `allowedConcurrent` 1; see quality-options.ts). */
  readonly screening?: ScreeningOptions | undefined
  /** Gold units mixed into a worker's real units (needs `allowedConcurrent` 1; see quality-options.ts). */
  readonly golds?: GoldOptions | undefined
  readonly hooks?:
    | { readonly onUnitSubmitted?: ((event: SubmittedUnit) => void | Promise<void>) | undefined }
    | undefined
  /** Backend functions the page calls (`remoteProcedure(name)(args)`), by name. */
  readonly remoteProcedures?: RemoteProcedures | undefined
  /** A call not answered within this is answered with an error. @default 25 */
  readonly remoteProcedureTimeoutSeconds?: number | undefined
  /** Calls one agent may have in flight; more are answered with an error. @default 16 */
  readonly remoteProcedureMaxInFlight?: number | undefined
  /** How a simulated worker answers (`faust simulate`; see bot-options.ts). */
  readonly bot?: BotOptions | undefined
}

/** The kinds of task Faust runs. */
export type TaskType = 'static' | 'remote-procedure' | 'concurrent'

/** A validated task with every default applied. */
export interface TaskDefinition<TData = unknown> {
  readonly name: string
  readonly taskType: TaskType
  /** Set for `concurrent` tasks only. */
  readonly live: LiveTaskSettings<TData> | undefined
  readonly page: string
  /** The review component's source, relative to the task file; undefined: the generic view. */
  readonly review: string | undefined
  readonly data: readonly TData[] | string
  readonly unitsPerAssignment: number
  readonly pay: number
  readonly qualifications: readonly QualificationRequirement[]
  readonly maximumUnitsPerWorker: number
  readonly allowedConcurrent: number
  readonly maxConcurrentUnits: number
  readonly assignmentDurationSeconds: number
  readonly blockQualification: string
  /** A reload of a unit handed in returns the stored answer. */
  readonly showSubmittedAnswer: boolean
  readonly taskConfig: Readonly<Record<string, unknown>>
  /** What a crowd platform shows workers, defaults applied. */
  readonly listing: TaskListing
  readonly workerCanDoUnit: TaskOptions<TData>['workerCanDoUnit']
  readonly onboarding:
    | {
        readonly data: unknown
        readonly validate: (answers: OnboardingAnswers) => boolean | Promise<boolean>
        readonly qualificationName: string
      }
    | undefined
  readonly screening: ScreeningDefinition | undefined
  readonly golds: GoldDefinition | undefined
  readonly hooks: {
    readonly onUnitSubmitted?: ((event: SubmittedUnit) => void | Promise<void>) | undefined
  }
  readonly remoteProcedures: RemoteProcedures
  readonly remoteProcedureTimeoutSeconds: number
  readonly remoteProcedureMaxInFlight: number
  /** The simulated worker, if the task has one. */
  readonly bot: BotOptions | undefined
}

/** The qualification `faust block` grants and every task refuses by default. */
export const DEFAULT_BLOCK_QUALIFICATION = 'blocked'

const count = (min: number) => v.optional(v.pipe(v.number(), v.integer(), v.minValue(min)))
const name = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1),
  v.maxLength(200),
  v.regex(/^[\w.-]+$/, 'use letters, digits, "_", "-" and "."'),
)

const Requirement = v.strictObject({
  qualificationName: name,
  comparator: v.picklist(COMPARATORS),
  value: v.optional(v.union([v.number(), v.array(v.number())])),
  applicableProviders: v.optional(v.array(v.string())),
})

/** A BCP 47 language tag, loosely: `es`, `es-MX`, `zh-Hant-TW`. */
const Locale = v.pipe(
  v.string(),
  v.regex(
    /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/,
    'use a language tag such as "en", "es" or "es-MX"',
  ),
)

const TaskOptionsSchema = v.strictObject({
  name,
  taskType: v.optional(v.picklist(['static', 'remote-procedure', 'concurrent'])),
  run: v.optional(v.function()),
  waitingRoomSeconds: v.optional(v.pipe(v.number(), v.minValue(1))),
  submissionTimeoutSeconds: v.optional(v.pipe(v.number(), v.minValue(1))),
  page: v.pipe(v.string(), v.minLength(1)),
  review: v.optional(
    v.pipe(
      v.string(),
      v.regex(/\.[jt]sx?$/i, 'a review component is a .tsx, .jsx, .ts or .js file'),
    ),
  ),
  data: v.union([
    v.array(v.unknown()),
    v.pipe(
      v.string(),
      v.regex(/\.(json|jsonl|csv)$/i, 'a data file must end in .json, .jsonl or .csv'),
    ),
  ]),
  unitsPerAssignment: count(1),
  pay: v.optional(v.pipe(v.number(), v.minValue(0))),
  qualifications: v.optional(v.array(Requirement)),
  maximumUnitsPerWorker: count(0),
  allowedConcurrent: count(0),
  maxConcurrentUnits: count(0),
  assignmentDurationSeconds: v.optional(v.pipe(v.number(), v.minValue(1))),
  blockQualification: v.optional(name),
  showSubmittedAnswer: v.optional(v.boolean()),
  taskConfig: v.optional(v.record(v.string(), v.unknown())),
  locale: v.optional(Locale),
  messages: v.optional(
    v.record(
      Locale,
      v.record(v.pipe(v.string(), v.minLength(1)), v.string('each message is a string')),
    ),
  ),
  listing: v.optional(TaskListingSchema),
  workerCanDoUnit: v.optional(v.function()),
  onboarding: v.optional(
    v.strictObject({
      data: v.unknown(),
      validate: v.function(),
      qualificationName: v.optional(name),
    }),
  ),
  screening: v.optional(ScreeningSchema),
  golds: v.optional(GoldSchema),
  hooks: v.optional(v.strictObject({ onUnitSubmitted: v.optional(v.function()) })),
  remoteProcedures: v.optional(
    v.record(
      v.pipe(v.string(), v.minLength(1, 'a remote procedure needs a name')),
      v.function('each remote procedure must be a function'),
    ),
  ),
  remoteProcedureTimeoutSeconds: v.optional(
    v.pipe(v.number(), v.minValue(0.001), v.maxValue(86_400)),
  ),
  remoteProcedureMaxInFlight: count(1),
  bot: v.optional(BotSchema),
})

/**
 * Declares a task: checks every option and applies the defaults. A bad option
 * throws a {@link TaskDefinitionError} (a `TypeError`,
 * code `TASK_DEFINITION_INVALID`) naming it.
 *
 * @example
 * export default defineTask({
 *   name: 'label-sentiment',
 *   page: 'dist',
 *   data: 'data.jsonl',
 *   onboarding: { data: quiz, validate: ({ outputs }) => outputs.answer === 'positive' },
 * })
 */
export function defineTask<TData>(options: TaskOptions<TData>): TaskDefinition<TData> {
  checkOptions(options)
  const quality = qualityOf(options)
  const concurrent = options.taskType === 'concurrent'
  const onboarding = options.onboarding
  return Object.freeze({
    name: options.name.trim(),
    taskType: options.taskType ?? 'static',
    live:
      concurrent && options.run !== undefined
        ? {
            run: options.run,
            waitingRoomSeconds: options.waitingRoomSeconds ?? 600,
            submissionTimeoutSeconds: options.submissionTimeoutSeconds ?? 600,
          }
        : undefined,
    page: options.page,
    review: options.review,
    data: options.data,
    unitsPerAssignment: options.unitsPerAssignment ?? 1,
    pay: options.pay ?? 0,
    qualifications: options.qualifications ?? [],
    maximumUnitsPerWorker: options.maximumUnitsPerWorker ?? 0,
    allowedConcurrent: quality.allowedConcurrent,
    maxConcurrentUnits: options.maxConcurrentUnits ?? 0,
    assignmentDurationSeconds: options.assignmentDurationSeconds ?? 1800,
    blockQualification: options.blockQualification ?? DEFAULT_BLOCK_QUALIFICATION,
    showSubmittedAnswer: options.showSubmittedAnswer ?? false,
    taskConfig: pageConfigOf(options),
    listing: taskListingFor({
      name: options.name.trim(),
      listing: options.listing,
      taskConfig: options.taskConfig ?? {},
      assignmentDurationSeconds: options.assignmentDurationSeconds ?? 1800,
    }),
    workerCanDoUnit: options.workerCanDoUnit,
    onboarding:
      onboarding === undefined
        ? undefined
        : {
            data: onboarding.data,
            validate: onboarding.validate,
            qualificationName: onboarding.qualificationName ?? `${options.name.trim()}-onboarding`,
          },
    screening: quality.screening,
    golds: quality.golds,
    hooks: options.hooks ?? {},
    remoteProcedures: Object.freeze({ ...(options.remoteProcedures ?? {}) }),
    remoteProcedureTimeoutSeconds:
      options.remoteProcedureTimeoutSeconds ?? DEFAULT_REMOTE_PROCEDURE_TIMEOUT_SECONDS,
    remoteProcedureMaxInFlight:
      options.remoteProcedureMaxInFlight ?? DEFAULT_REMOTE_PROCEDURE_MAX_IN_FLIGHT,
    bot: options.bot,
  })
}

/** `taskConfig` plus the worker's language and the task's messages, as the page reads them. */
function pageConfigOf(
  options: Pick<TaskOptions<unknown>, 'taskConfig' | 'locale' | 'messages'>,
): Readonly<Record<string, unknown>> {
  return {
    ...options.taskConfig,
    ...(options.locale === undefined ? {} : { locale: options.locale }),
    ...(options.messages === undefined ? {} : { messages: options.messages }),
  }
}

function invalid(message: string): TaskDefinitionError {
  return new TaskDefinitionError('TASK_DEFINITION_INVALID', `defineTask: ${message}`)
}

/** The schema, then the rules that tie options together (task type, data, procedures). */
function checkOptions<TData>(options: TaskOptions<TData>): void {
  const parsed = v.safeParse(TaskOptionsSchema, options)
  if (!parsed.success) throw invalid(formatIssues(parsed.issues))
  if (Array.isArray(options.data) && options.data.length === 0) {
    throw invalid('data: the task has no data (one item per assignment)')
  }
  const concurrent = options.taskType === 'concurrent'
  if (concurrent && options.run === undefined) {
    throw invalid('run: a concurrent task needs a run function')
  }
  const cap = options.maxConcurrentUnits ?? 0
  const perAssignment = options.unitsPerAssignment ?? 1
  if (concurrent && cap > 0 && cap < perAssignment) {
    // Fewer units offered than partners needed: the waiting room never fills.
    throw invalid(
      `maxConcurrentUnits: a concurrent task needs at least unitsPerAssignment (${String(perAssignment)}) units offered at once, or 0`,
    )
  }
  if (!concurrent) {
    for (const key of ['run', 'waitingRoomSeconds', 'submissionTimeoutSeconds'] as const) {
      if (options[key] !== undefined) throw invalid(`${key}: only for taskType 'concurrent'`)
    }
  }
  const procedures = options.remoteProcedures ?? {}
  if (options.taskType === 'remote-procedure' && Object.keys(procedures).length === 0) {
    throw invalid("remoteProcedures: a 'remote-procedure' task needs at least one procedure")
  }
  const bot = options.bot === undefined ? null : botProblem(options.bot, options)
  if (bot !== null) throw invalid(bot)
}

/** Screening or golds (never both, never on a concurrent task), and the `allowedConcurrent` they need. */
function qualityOf<TData>(options: TaskOptions<TData>): {
  readonly screening: ScreeningDefinition | undefined
  readonly golds: GoldDefinition | undefined
  readonly allowedConcurrent: number
} {
  const taskName = options.name.trim()
  const screening =
    options.screening === undefined ? undefined : screeningDefinition(taskName, options.screening)
  const golds = options.golds === undefined ? undefined : goldDefinition(taskName, options.golds)
  const either = screening !== undefined || golds !== undefined
  // A screening or gold unit is one worker's test, scored when submitted; a
  // live assignment waits for partners, so it cannot be one.
  if (options.taskType === 'concurrent' && either) {
    throw invalid(
      "screening and golds are for 'static' and 'remote-procedure' tasks, not 'concurrent'",
    )
  }
  if (screening !== undefined && golds !== undefined) {
    throw invalid('screening and golds cannot be used together (as in Mephisto)')
  }
  // A worker must finish its screening or gold unit before the next one is
  // chosen (docs/protocol.md §7.5): one unit at a time. Unset means 1 here.
  const allowedConcurrent = options.allowedConcurrent ?? (either ? 1 : 0)
  if (either && allowedConcurrent !== 1) {
    throw invalid(
      `allowedConcurrent: screening and golds need allowedConcurrent 1, got ${String(allowedConcurrent)}`,
    )
  }
  return { screening, golds, allowedConcurrent }
}
