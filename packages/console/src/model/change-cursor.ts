import { sql } from 'kysely'
import type { Store } from '@faust/backend/store'

/** Where the store's tables stood at one poll: cheap maxima, and each run's end. */
export interface ChangeCursor {
  readonly history: number
  readonly errors: number
  readonly events: number
  readonly live: number
  readonly audit: number
  readonly units: number
  readonly actions: number
  /** Run id → ended_at (−1 while open): a new or ended run is a change. */
  readonly runs: ReadonlyMap<string, number>
}

/** What moved between two cursors. */
export interface ChangeSet {
  readonly runs: readonly string[]
  readonly audit: number
}

interface Maxima {
  history: number | null
  errors: number | null
  events: number | null
  live: number | null
  audit: number | null
  units: number | null
  actions: number | null
}

/** Reads the cursor: one statement of indexed maxima plus the (short) list of runs. */
export async function readCursor(store: Store): Promise<ChangeCursor> {
  const { rows } = await sql<Maxima>`select
      (select max(id) from agent_status_history) as history,
      (select max(id) from error_logs) as errors,
      (select max(id) from agent_events) as events,
      (select max(id) from live_updates) as live,
      (select max(id) from audit_log) as audit,
      (select max(updated_at) from units) as units,
      (select max(updated_at) from provider_actions) as actions`.execute(store.db)
  const maxima = rows[0]
  const runs = await store.db.selectFrom('task_runs').select(['id', 'ended_at']).execute()
  return {
    history: maxima?.history ?? 0,
    errors: maxima?.errors ?? 0,
    events: maxima?.events ?? 0,
    live: maxima?.live ?? 0,
    audit: maxima?.audit ?? 0,
    units: maxima?.units ?? 0,
    actions: maxima?.actions ?? 0,
    runs: new Map(runs.map((run) => [run.id, run.ended_at ?? -1])),
  }
}

/** Whether anything moved. */
export function cursorMoved(before: ChangeCursor, after: ChangeCursor): boolean {
  const keys = ['history', 'errors', 'events', 'live', 'audit', 'units', 'actions'] as const
  if (keys.some((key) => before[key] !== after[key])) return true
  if (before.runs.size !== after.runs.size) return true
  for (const [id, ended] of after.runs) if (before.runs.get(id) !== ended) return true
  return false
}

/** The runs whose rows moved between `before` and `after` (asked only once the cursor moved). */
export async function changedRuns(
  store: Store,
  before: ChangeCursor,
  after: ChangeCursor,
): Promise<ChangeSet> {
  const runs = new Set<string>()
  for (const [id, ended] of after.runs) if (before.runs.get(id) !== ended) runs.add(id)
  const add = (rows: readonly { run: string | null }[]): void => {
    for (const row of rows) if (row.run !== null) runs.add(row.run)
  }
  const { db } = store
  if (after.history !== before.history) {
    const { rows } = await sql<{ run: string | null }>`
      select distinct coalesce(a.task_run_id, o.task_run_id) as run
      from agent_status_history h
      left join agents a on a.id = h.agent_id
      left join onboarding_agents o on o.id = h.onboarding_agent_id
      where h.id > ${before.history}`.execute(db)
    add(rows)
  }
  if (after.errors !== before.errors) {
    const { rows } = await sql<{ run: string | null }>`
      select distinct coalesce(a.task_run_id, o.task_run_id) as run
      from error_logs e
      left join agents a on a.id = e.agent_id
      left join onboarding_agents o on o.id = e.onboarding_agent_id
      where e.id > ${before.errors}`.execute(db)
    add(rows)
  }
  if (after.live !== before.live) {
    const { rows } = await sql<{ run: string | null }>`
      select distinct a.task_run_id as run from live_updates l
      join agents a on a.id = l.agent_id where l.id > ${before.live}`.execute(db)
    add(rows)
  }
  const simple = [
    ['agent_events', 'id', before.events, after.events],
    ['audit_log', 'id', before.audit, after.audit],
    ['units', 'updated_at', before.units, after.units],
    ['provider_actions', 'updated_at', before.actions, after.actions],
  ] as const
  for (const [table, column, was, now] of simple) {
    if (was === now) continue
    const { rows } = await sql<{ run: string | null }>`
      select distinct task_run_id as run from ${sql.table(table)}
      where ${sql.ref(column)} > ${was}`.execute(db)
    add(rows)
  }
  return { runs: [...runs].sort(), audit: after.audit }
}
