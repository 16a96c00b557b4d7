import { FINISHED_UNIT_STATUSES, UnitStatus, type Store } from '@faust/backend/store'
import { plural } from '../plural.js'

/** What was done for a task: over all its runs, or over one. */
export interface TaskHistory {
  readonly runs: number
  readonly units: number
  /** Units completed (or since reviewed). */
  readonly completed: number
  readonly expired: number
  /** Units neither finished nor expired (a run still going, or one that was killed). */
  readonly open: number
  readonly submissions: number
}

/** Which runs {@link readTaskHistory} counts. */
export interface TaskHistoryQuery {
  readonly taskName: string
  /** Only this run. */
  readonly taskRunId?: string | undefined
}

/** Counts a task's runs, units and submissions; `null` when the task has never run here. */
export async function readTaskHistory(
  store: Store,
  query: TaskHistoryQuery,
): Promise<TaskHistory | null> {
  const task = await store.tasks.find(query.taskName)
  if (task === null) return null
  const runs = (await store.taskRuns.list(task.id)).filter(
    (run) => query.taskRunId === undefined || run.id === query.taskRunId,
  )
  if (runs.length === 0) return null
  let units = 0
  let completed = 0
  let expired = 0
  for (const run of runs) {
    const counts = await store.units.summarize(run.id)
    for (const count of Object.values(counts)) units += count
    completed += FINISHED_UNIT_STATUSES.reduce((sum, status) => sum + counts[status], 0)
    expired += counts[UnitStatus.EXPIRED]
  }
  return {
    runs: runs.length,
    units,
    completed,
    expired,
    open: units - completed - expired,
    submissions: await countSubmissions(
      store,
      runs.map((run) => run.id),
    ),
  }
}

// No repository counts submissions, and exporting them all to count them
// would read every answer; one COUNT over the runs' agents does.
async function countSubmissions(store: Store, taskRunIds: readonly string[]): Promise<number> {
  const row = await store.db
    .selectFrom('submissions')
    .innerJoin('agents', 'agents.id', 'submissions.agent_id')
    .where('agents.task_run_id', 'in', taskRunIds)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow()
  return Number(row.count)
}

/** `3 of 10 units completed, 7 expired, 3 submissions`. */
export function formatTaskHistory(history: TaskHistory): string {
  const parts = [
    `${String(history.completed)} of ${plural(history.units, 'unit')} completed`,
    `${String(history.expired)} expired`,
  ]
  if (history.open > 0) parts.push(`${String(history.open)} unfinished`)
  parts.push(plural(history.submissions, 'submission'))
  return parts.join(', ')
}
