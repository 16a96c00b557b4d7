import { TaskRun } from './task-run.js'
import type { RunTaskOptions, TaskRunHandle } from './run-options.js'

export type { RouterAccess, RunMemoryStats, RunTaskOptions, TaskRunHandle } from './run-options.js'

/**
 * Creates a task run from the task's data (one assignment per item), connects
 * to the router, and serves workers until every unit is final or `stop()`.
 *
 * @example
 * const run = await runTask({ task, baseDir, store, router: { socketUrl, httpUrl, token } })
 * await run.done
 */
export async function runTask(options: RunTaskOptions): Promise<TaskRunHandle> {
  const run = await TaskRun.create(options)
  await run.connect()
  return run.handle()
}
