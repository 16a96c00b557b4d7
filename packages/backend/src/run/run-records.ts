import { resolve } from 'node:path'
import { canonicalJson } from '@faust/protocol'
import type { TaskDefinition } from '../definition/define-task.js'
import { loadTaskData } from '../definition/load-task-data.js'
import type { Store } from '../store/store.js'
import type { TaskRunRecord } from '../store/task-runs-repository.js'
import { UnitStatus } from '../store/unit-status.js'
import { TaskDataError, TaskDefinitionError } from '../util/backend-error.js'
import type { BackendLogger } from '../util/logger.js'
import { endAbandonedRun } from './end-abandoned-run.js'
import type { RunUnit } from './run-options.js'

/** The stored run a {@link TaskRun} serves. */
export interface RunRecords {
  readonly runId: string
  readonly units: readonly RunUnit[]
  /** An unfinished run taken up again rather than a new one. */
  readonly resumed: boolean
  /** The units not yet offered (`created`), in creation order: what the launcher still has to launch. */
  readonly unlaunched: readonly string[]
}

/** What {@link openRunRecords} needs. */
export interface RunRecordsInput {
  readonly task: TaskDefinition
  readonly baseDir: string
  readonly store: Store
  readonly providerType: string
  readonly config: Record<string, unknown>
  /** End the task's unfinished run (if any) and start a new one instead of resuming it. */
  readonly newRun: boolean
  readonly logger: BackendLogger
}

/**
 * The create stage: loads the task's data, then resumes the task's
 * unfinished run (the newest whose `ended_at` is NULL: its process died) if
 * its items are the data's, or stores a new run, one assignment per item and
 * `unitsPerAssignment` units each, in one transaction. With `newRun` the
 * unfinished run is ended first.
 */
export async function openRunRecords(input: RunRecordsInput): Promise<RunRecords> {
  const { task, store } = input
  const data =
    typeof task.data === 'string'
      ? await loadTaskData(resolve(input.baseDir, task.data))
      : task.data
  if (data.length === 0)
    throw new TaskDataError('TASK_DATA_EMPTY', `task '${task.name}' has no data: nothing to run`)
  const unfinished = await store.taskRuns.findUnfinished(task.name)
  if (unfinished !== null) {
    if (!input.newRun) return resumeRecords(store, unfinished, { task, data })
    await endAbandonedRun(store, unfinished.id, input.logger)
  }
  return createRunRecords(input, data)
}

async function createRunRecords(
  input: RunRecordsInput,
  data: readonly unknown[],
): Promise<RunRecords> {
  const { task, store } = input
  const created = await store.taskRuns.create({
    task: { name: task.name, taskType: task.taskType },
    providerType: input.providerType,
    config: input.config,
    assignments: data.map((item) => ({
      sharedData: item,
      units: Array.from({ length: task.unitsPerAssignment }, () => ({ pay: task.pay })),
    })),
  })
  if (!created.ok) {
    throw new TaskDefinitionError(
      'TASK_TYPE_MISMATCH',
      `task '${task.name}' already exists with type '${created.error.existing.taskType}'`,
    )
  }
  const units = created.value.assignments.flatMap((assignment) =>
    assignment.units.map((unit) => ({
      id: unit.id,
      assignmentId: unit.assignmentId,
      unitIndex: unit.unitIndex,
    })),
  )
  return {
    runId: created.value.run.id,
    units,
    resumed: false,
    unlaunched: units.map((unit) => unit.id),
  }
}

/**
 * The stored run's units, once its items are checked against the data
 * (canonical JSON, in order): resuming a run over other data would mix two
 * tasks' results under one run.
 */
async function resumeRecords(
  store: Store,
  run: TaskRunRecord,
  current: { readonly task: TaskDefinition; readonly data: readonly unknown[] },
): Promise<RunRecords> {
  // Screening and gold units (index < 0) sit in assignments of their own,
  // made per worker: they are not the run's items.
  const stored = (await store.units.list({ taskRunId: run.id })).filter(
    (unit) => unit.unitIndex >= 0,
  )
  const itemAssignments = new Set(stored.map((unit) => unit.assignmentId))
  const items = (await store.assignments.listForRun(run.id))
    .filter((assignment) => itemAssignments.has(assignment.id))
    .map((assignment) => assignment.sharedData)
  // Items added while it ran (`faust run-config --add-items`) come last and
  // are not in the task's data: only the others must match.
  const added = (await store.runControl.getSettings(run.id))?.addedItems ?? 0
  const original = items.slice(0, items.length - added)
  if (canonicalJson(original) !== canonicalJson(current.data)) {
    throw new TaskDataError(
      'RUN_DATA_CHANGED',
      `task '${current.task.name}' has an unfinished run ${run.id} whose ${String(original.length)} items differ from the task's data (${String(current.data.length)} items): restore the data to resume it, or start a new run with --new-run (ending that one)`,
    )
  }
  return {
    runId: run.id,
    units: stored.map((unit) => ({
      id: unit.id,
      assignmentId: unit.assignmentId,
      unitIndex: unit.unitIndex,
    })),
    resumed: true,
    unlaunched: stored.filter((unit) => unit.status === UnitStatus.CREATED).map((unit) => unit.id),
  }
}
