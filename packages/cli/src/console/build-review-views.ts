import type { CommandIo } from '../command-io.js'
import { buildTaskReview } from '../task/build-review.js'
import { loadTask } from '../task/load-task.js'
import { resolveTaskFile } from '../task/resolve-task-file.js'

/** `--task`: each task's review view, built into the data folder as `faust run` builds it. */
export async function buildReviewViews(
  taskPaths: readonly string[],
  where: { readonly dataDir: string; readonly io: CommandIo },
): Promise<void> {
  for (const taskPath of taskPaths) {
    const { file, dir } = await resolveTaskFile(taskPath)
    const task = await loadTask(file)
    const built = await buildTaskReview(task, { taskDir: dir, dataDir: where.dataDir })
    where.io.stderr.write(
      built === null
        ? `faust console: ${task.name} has no review view (defineTask's review); its submissions show in the generic view\n`
        : `faust console: built the review view of ${task.name} (${formatKib(built.bytes)})\n`,
    )
  }
}

function formatKib(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KiB`
}
