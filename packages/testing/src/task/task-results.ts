import type { AgentStatus } from '@faust/protocol'
import type { TaskRunHandle } from '@faust/backend'
import type { Store, SubmissionExport } from '@faust/backend/store'

/** One stored submission of a harness' run, as `h.results()` returns it. */
export interface TaskResult {
  /** The bot's name as given to `h.worker(name)` (the store's name otherwise, e.g. `w1_sandbox`). */
  readonly worker: string
  /** The item of the task's data the unit belongs to. */
  readonly item: unknown
  /** The unit's index within its item's assignment (0 unless `unitsPerAssignment` > 1). */
  readonly unitIndex: number
  /** The submitted data (`final_data`, or the parsed `final_string_data` of a multipart submit). */
  readonly data: unknown
  /** The agent's status: `completed` until the work is reviewed. */
  readonly status: AgentStatus
  /** Uploaded files, in upload order. */
  readonly files: readonly TaskResultFile[]
}

/** A file uploaded with a submission. */
export interface TaskResultFile {
  readonly field: string
  readonly name: string
  readonly mimetype: string
  readonly size: number
}

/**
 * The run's stored submissions of the task's own units (no screening or gold
 * units), ordered by item (data order), then unit index, then submission
 * order: the same for every run of the same test, whatever order the bots' requests
 * arrived in.
 */
export async function runResults(
  store: Store,
  run: TaskRunHandle,
  query: { readonly taskName: string; readonly names: ReadonlyMap<string, string> },
): Promise<TaskResult[]> {
  const rows = await store.results.exportSubmissions({
    taskName: query.taskName,
    taskRunId: run.runId,
  })
  const position = new Map(run.units.map((unit, index) => [unit.id, index]))
  const rank = (row: SubmissionExport): number => position.get(row.unitId) ?? run.units.length
  return rows
    .map((row, order) => ({ row, order }))
    .sort((a, b) => rank(a.row) - rank(b.row) || a.order - b.order)
    .map(({ row }) => ({
      worker: query.names.get(row.workerId) ?? row.workerName,
      item: row.sharedData,
      unitIndex: row.unitIndex,
      data: row.data,
      status: row.agentStatus,
      files: row.files.map((file) => ({
        field: file.fieldName,
        name: file.originalName,
        mimetype: file.mimetype,
        size: file.sizeBytes,
      })),
    }))
}
