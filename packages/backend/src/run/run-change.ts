import * as v from 'valibot'
import { formatIssues } from '@faust/protocol'
import type { TaskDefinition } from '../definition/define-task.js'
import type { RunSettings } from '../services/context/live-run-settings.js'
import { RunError } from '../util/backend-error.js'

/** The settings `{ kind: 'set' }` may change. */
export const RUN_SETTING_NAMES = [
  'maxConcurrentUnits',
  'maximumUnitsPerWorker',
  'allowedConcurrent',
  'assignmentDurationSeconds',
] as const

export type RunSettingName = (typeof RUN_SETTING_NAMES)[number]

/** One change to a live (or stored) run (docs/console.md, "Changing a live run"). */
export type RunChange =
  | { readonly kind: 'pause' }
  | { readonly kind: 'resume' }
  | { readonly kind: 'set'; readonly setting: RunSettingName; readonly value: number }
  | { readonly kind: 'add_items'; readonly items: readonly unknown[] }
  | { readonly kind: 'expire_units'; readonly units: readonly string[] | 'unassigned' }
  | { readonly kind: 'end' }

/** What a change did. */
export interface RunChangeResult {
  /** `live`: applied by the process serving the run; `stored`: no process serves it, the store was changed. */
  readonly applied: 'live' | 'stored'
  readonly settings: RunSettings
  readonly detail?: Record<string, unknown>
}

/** The audit action of each change (docs/console.md). */
export const RUN_CHANGE_ACTIONS: Readonly<Record<RunChange['kind'], string>> = {
  pause: 'run.pause',
  resume: 'run.resume',
  set: 'run.set',
  add_items: 'run.add_items',
  expire_units: 'run.expire_units',
  end: 'run.end',
}

/** At most this many items in one `add_items`. */
export const MAX_ADDED_ITEMS = 10_000

/** What checking a change needs to know of the task: from its definition, or from the run's stored configuration. */
export interface RunTaskFacts {
  readonly taskName: string
  readonly taskType: string
  readonly unitsPerAssignment: number
  readonly pay: number
  /** Screening or golds: they need `allowedConcurrent` 1. */
  readonly quality: boolean
}

export function factsOfTask(task: TaskDefinition): RunTaskFacts {
  return {
    taskName: task.name,
    taskType: task.taskType,
    unitsPerAssignment: task.unitsPerAssignment,
    pay: task.pay,
    quality: task.screening !== undefined || task.golds !== undefined,
  }
}

const count = v.pipe(v.number(), v.integer(), v.minValue(0))

const ChangeSchema = v.variant('kind', [
  v.strictObject({ kind: v.literal('pause') }),
  v.strictObject({ kind: v.literal('resume') }),
  v.strictObject({ kind: v.literal('set'), setting: v.picklist(RUN_SETTING_NAMES), value: count }),
  v.strictObject({
    kind: v.literal('add_items'),
    items: v.pipe(v.array(v.unknown()), v.minLength(1), v.maxLength(MAX_ADDED_ITEMS)),
  }),
  v.strictObject({
    kind: v.literal('expire_units'),
    units: v.union([
      v.literal('unassigned'),
      v.pipe(v.array(v.pipe(v.string(), v.minLength(1))), v.minLength(1)),
    ]),
  }),
  v.strictObject({ kind: v.literal('end') }),
])

/** Checks a change's shape (from the console's JSON, a command row); throws RUN_CHANGE_INVALID. */
export function parseRunChange(value: unknown): RunChange {
  const parsed = v.safeParse(ChangeSchema, value)
  if (!parsed.success) throw invalid(formatIssues(parsed.issues))
  if (parsed.output.kind === 'add_items') {
    parsed.output.items.forEach((item, index) => {
      // An item is stored as JSON: undefined, a function or NaN would not come back.
      if (item === undefined || JSON.stringify(item) === undefined)
        throw invalid(`items[${String(index)}]: not a JSON value`)
    })
  }
  return parsed.output
}

/**
 * The settings after `change`, checked as `defineTask` checks the task's
 * own (throws RUN_CHANGE_INVALID). Changes that are no setting leave them.
 */
export function nextSettings(
  current: RunSettings,
  facts: RunTaskFacts,
  change: RunChange,
): RunSettings {
  if (change.kind === 'pause') return { ...current, launching: 'paused' }
  if (change.kind === 'resume') return { ...current, launching: 'open' }
  if (change.kind !== 'set') return current
  const { setting, value } = change
  if (!Number.isInteger(value) || value < 0) throw invalid(`${setting}: a whole number ≥ 0`)
  if (setting === 'assignmentDurationSeconds' && value < 1)
    throw invalid('assignmentDurationSeconds: at least 1')
  if (
    setting === 'maxConcurrentUnits' &&
    facts.taskType === 'concurrent' &&
    value > 0 &&
    value < facts.unitsPerAssignment
  ) {
    // Fewer units offered than partners needed: the waiting room never fills.
    throw invalid(
      `maxConcurrentUnits: a concurrent task needs at least unitsPerAssignment (${String(facts.unitsPerAssignment)}) units offered at once, or 0`,
    )
  }
  if (setting === 'allowedConcurrent' && facts.quality && value !== 1)
    throw invalid(
      `allowedConcurrent: screening and golds need allowedConcurrent 1, got ${String(value)}`,
    )
  return { ...current, [setting]: value }
}

export function invalid(message: string): RunError {
  return new RunError('RUN_CHANGE_INVALID', `run change: ${message}`)
}
