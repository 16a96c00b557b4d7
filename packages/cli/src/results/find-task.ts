import type { Store, TaskRecord } from '@faust/backend/store'

/** The task with this name, or an error naming the tasks this data folder has. */
export async function findTask(store: Store, name: string): Promise<TaskRecord> {
  const task = await store.tasks.find(name)
  if (task !== null) return task
  const known = (await store.tasks.list()).map((record) => record.name)
  throw new Error(
    `no task named '${name}' in ${store.dataDir}: ${
      known.length === 0 ? 'no task has run here yet' : `tasks here: ${known.join(', ')}`
    }`,
  )
}
