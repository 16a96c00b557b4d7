import { MEPHISTO_TASK_VERSION } from '@faust/protocol'
import type { TaskDefinition } from './define-task.js'

/**
 * `task_config.json` for a task, as the page reads it: its `taskConfig`, a
 * title (the task's name unless given), and the client version. One place
 * for `faust run` and the test harness alike.
 */
export function taskConfigFor(
  task: Pick<TaskDefinition, 'name' | 'taskConfig'>,
): Record<string, unknown> {
  return { task_title: task.name, ...task.taskConfig, mephisto_task_version: MEPHISTO_TASK_VERSION }
}
