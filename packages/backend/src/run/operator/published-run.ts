import type { Store } from '../../store/store.js'
import type { TaskRunRecord } from '../../store/task-runs-repository.js'
import { isPlatformType, type PlatformType } from '../../providers/platform-from-environment.js'
import { RunError } from '../../util/backend-error.js'
import { findTask } from './find-task.js'

/** A run published on a crowd platform, and how to reach its listing again. */
export interface PublishedRun {
  readonly taskRunId: string
  readonly type: PlatformType
  readonly sandbox: boolean
}

/** A run's published listing as the store keeps it (what is needed to reach it again). */
export interface StoredListing {
  readonly providerType: string
  readonly sandbox: boolean
}

/** Reads a run's listing row; the store's by default (a test passes its own). */
export type ListingReader = (store: Store, taskRunId: string) => Promise<StoredListing | null>

/** The listing row of a run (provider_listings), or null when it published nothing. */
async function storedListing(store: Store, taskRunId: string): Promise<StoredListing | null> {
  const row = await store.providerRecords.getListing(taskRunId)
  return row === null ? null : { providerType: row.providerType, sandbox: row.sandbox }
}

/**
 * The run of a task that `faust reconcile` and the operator's reviews act
 * on: `runId` if given (it must be the task's), else the task's newest run
 * published on a platform (null when there is none: a mock run). Its
 * platform and sandbox are the ones it was published with (stored
 * provider_type and listing row), never the flags of this command:
 * reconciling a sandbox run against production would find nothing.
 * Throws RunError TASK_NOT_FOUND, or RUN_NOT_PUBLISHED for a `runId` that
 * is not the task's or was not published.
 */
export async function findPublishedRun(
  store: Store,
  taskName: string,
  options: { readonly runId?: string | undefined; readonly readListing?: ListingReader } = {},
): Promise<PublishedRun | null> {
  const readListing = options.readListing ?? storedListing
  const task = await findTask(store, taskName)
  const runs = await store.taskRuns.list(task.id)
  if (options.runId !== undefined) {
    const run = runs.find((candidate) => candidate.id === options.runId)
    if (run === undefined) {
      throw new RunError(
        'RUN_NOT_PUBLISHED',
        `no run ${options.runId} of ${taskName}: its runs are ${runs.map((r) => r.id).join(', ') || 'none'}`,
      )
    }
    const published = await publishedAs(store, run, readListing)
    if (published === null) {
      throw new RunError(
        'RUN_NOT_PUBLISHED',
        `run ${run.id} of ${taskName} was not published on a crowd platform (provider ${run.providerType})`,
      )
    }
    return published
  }
  for (const run of [...runs].reverse()) {
    const published = await publishedAs(store, run, readListing)
    if (published !== null) return published
  }
  return null
}

async function publishedAs(
  store: Store,
  run: TaskRunRecord,
  readListing: ListingReader,
): Promise<PublishedRun | null> {
  if (!isPlatformType(run.providerType)) return null
  const listing = await readListing(store, run.id)
  if (listing === null) return null
  return { taskRunId: run.id, type: run.providerType, sandbox: listing.sandbox }
}
