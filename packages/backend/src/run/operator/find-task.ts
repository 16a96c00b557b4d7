import type { Store } from '../../store/store.js'
import type { TaskRecord } from '../../store/tasks-repository.js'
import { RunError } from '../../util/backend-error.js'

/**
 * The task with this name, or a RunError TASK_NOT_FOUND naming the tasks
 * this data folder has (the CLI prints the message as it is).
 */
export async function findTask(store: Store, name: string): Promise<TaskRecord> {
  const task = await store.tasks.find(name)
  if (task !== null) return task
  const known = (await store.tasks.list()).map((record) => record.name)
  throw new RunError(
    'TASK_NOT_FOUND',
    `no task named '${name}' in ${store.dataDir}: ${
      known.length === 0 ? 'no task has run here yet' : `tasks here: ${known.join(', ')}`
    }`,
  )
}
