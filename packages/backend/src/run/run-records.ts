import { resolve } from 'node:path'
import type { TaskDefinition } from '../definition/define-task.js'
import { loadTaskData } from '../definition/load-task-data.js'
import type { Store } from '../store/store.js'
import { TaskDataError, TaskDefinitionError } from '../util/backend-error.js'
import type { RunUnit } from './run-options.js'

/** The stored run a {@link TaskRun} serves. */
export interface RunRecords {
  readonly runId: string
  readonly units: readonly RunUnit[]
}

/**
 * The create stage: loads the task's data and stores the run, one assignment
 * per item and `unitsPerAssignment` units each, in one transaction.
 */
export async function createRunRecords(input: {
  readonly task: TaskDefinition
  readonly baseDir: string
  readonly store: Store
  readonly providerType: string
  readonly config: Record<string, unknown>
}): Promise<RunRecords> {
  const { task, store } = input
  const data =
    typeof task.data === 'string'
      ? await loadTaskData(resolve(input.baseDir, task.data))
      : task.data
  if (data.length === 0)
    throw new TaskDataError('TASK_DATA_EMPTY', `task '${task.name}' has no data: nothing to run`)
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
  return { runId: created.value.run.id, units }
}
