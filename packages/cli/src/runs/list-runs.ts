import { FINISHED_UNIT_STATUSES, UnitStatus, type Store } from '@faust/backend/store'
import { formatTable } from '../table.js'

/** One run as `faust runs` shows it. */
export interface RunListing {
  readonly id: string
  readonly task: string
  /** ISO 8601. */
  readonly startedAt: string
  /** ISO 8601, or `null` while unfinished (a run going on, or one whose process died: resumed by `faust run`). */
  readonly endedAt: string | null
  /** The run's own units (not screening or gold), in total and by status (only statuses present). */
  readonly units: { readonly total: number } & Readonly<Partial<Record<UnitStatus, number>>>
}

/** Every run in creation order, with its units counted by status. */
export async function listRuns(store: Store): Promise<RunListing[]> {
  const runs = await store.taskRuns.listWithTaskNames()
  const listings: RunListing[] = []
  for (const run of runs) {
    const counts = await store.units.summarize(run.id)
    const present = Object.entries(counts).filter(([, count]) => count > 0)
    listings.push({
      id: run.id,
      task: run.taskName,
      startedAt: new Date(run.createdAt).toISOString(),
      endedAt: run.endedAt === null ? null : new Date(run.endedAt).toISOString(),
      units: {
        total: present.reduce((sum, [, count]) => sum + count, 0),
        ...Object.fromEntries(present),
      },
    })
  }
  return listings
}

/** The table `faust runs` prints: one row per run, the unit counts in the progress line's words. */
export function formatRuns(runs: readonly RunListing[]): string {
  if (runs.length === 0) return 'no runs in this data folder\n'
  const count = (run: RunListing, statuses: readonly UnitStatus[]): string =>
    String(statuses.reduce((sum, status) => sum + (run.units[status] ?? 0), 0))
  return formatTable(
    [
      'run',
      'task',
      'started',
      'ended',
      'units',
      'completed',
      'in progress',
      'offered',
      'waiting',
      'expired',
    ],
    runs.map((run) => [
      run.id,
      run.task,
      run.startedAt,
      run.endedAt ?? 'unfinished',
      String(run.units.total),
      count(run, FINISHED_UNIT_STATUSES),
      count(run, [UnitStatus.ASSIGNED]),
      count(run, [UnitStatus.LAUNCHED]),
      count(run, [UnitStatus.CREATED]),
      count(run, [UnitStatus.EXPIRED]),
    ]),
  )
}
