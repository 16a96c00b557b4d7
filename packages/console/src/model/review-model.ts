import type { Store, SubmissionExport } from '@faust/backend/store'

/** Which submissions the review queue shows. */
export type ReviewStatusFilter = 'pending' | 'approved' | 'rejected' | 'soft_rejected' | 'all'

/** Every {@link ReviewStatusFilter}, for validation. */
export const REVIEW_STATUS_FILTERS: readonly ReviewStatusFilter[] = [
  'pending',
  'approved',
  'rejected',
  'soft_rejected',
  'all',
]

/** A stored file as the console links it. */
export interface FileView {
  readonly id: string
  readonly name: string
  readonly size: number
  readonly mimetype: string
  readonly url: string
}

/** One live update, as a task's review view is given it: the stored record without its agent. */
export type LiveUpdateView = SubmissionExport['liveUpdates'][number]

/** One row of `GET /api/runs/:runId/review`. */
export interface ReviewItemView {
  readonly unitId: string
  readonly agentId: string
  readonly workerId: string
  readonly workerName: string
  readonly taskName: string
  readonly submittedAt: number
  /** The data item the page was given. */
  readonly item: unknown
  /** What the page submitted. */
  readonly data: unknown
  readonly files: readonly FileView[]
  /** A live task's updates both ways, oldest first (its conversation); empty otherwise. */
  readonly liveUpdates: readonly LiveUpdateView[]
  /** `pending` until decided; then `approved`, `rejected` or `soft_rejected`. */
  readonly reviewStatus: Exclude<ReviewStatusFilter, 'all'>
  readonly reviewReason: string | null
  readonly bonusCents: number
  readonly providerStatus: string | null
}

const STATUS_OF_UNIT: Readonly<Record<string, Exclude<ReviewStatusFilter, 'all'>>> = {
  completed: 'pending',
  accepted: 'approved',
  rejected: 'rejected',
  soft_rejected: 'soft_rejected',
}

/**
 * The run's handed-in units (the task's work, not screening or golds) in
 * submission order, from `store.results` as `faust results` reads them,
 * filtered by review status and worker name.
 */
export async function listReview(
  store: Store,
  taskRunId: string,
  filter: { readonly status: ReviewStatusFilter; readonly worker?: string | undefined },
): Promise<ReviewItemView[] | null> {
  const run = await store.db
    .selectFrom('task_runs')
    .innerJoin('tasks', 'tasks.id', 'task_runs.task_id')
    .select('tasks.name')
    .where('task_runs.id', '=', taskRunId)
    .executeTakeFirst()
  if (run === undefined) return null
  const rows = await store.results.exportSubmissions({ taskName: run.name, taskRunId })
  const items: ReviewItemView[] = []
  for (const row of rows) {
    const reviewStatus = STATUS_OF_UNIT[row.unitStatus]
    if (reviewStatus === undefined) continue
    if (filter.status !== 'all' && filter.status !== reviewStatus) continue
    if (filter.worker !== undefined && filter.worker !== row.workerName) continue
    items.push({
      unitId: row.unitId,
      agentId: row.agentId,
      workerId: row.workerId,
      workerName: row.workerName,
      taskName: row.taskName,
      submittedAt: row.submittedAt,
      item: row.sharedData,
      data: row.data,
      files: row.files.map((file) => ({
        id: file.id,
        name: file.originalName,
        size: file.sizeBytes,
        mimetype: file.mimetype,
        url: `/api/files/${encodeURIComponent(file.id)}`,
      })),
      liveUpdates: row.liveUpdates,
      reviewStatus,
      reviewReason: row.reviewReason,
      bonusCents: row.bonusCents,
      providerStatus: row.providerStatus,
    })
  }
  return items
}
