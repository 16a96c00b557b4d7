import type { Clock } from '@faust/protocol'
import type { Store } from '@faust/backend/store'
import { ACTIVE_AGENT_STATUSES, HANDED_IN_AGENT_STATUSES } from './agent-statuses.js'

/** The run's units by state at one moment. */
export interface ProgressPoint {
  readonly at: number
  readonly waiting: number
  readonly launched: number
  readonly inProgress: number
  readonly completed: number
  readonly expired: number
}

/** `GET /api/runs/:runId/progress`. */
export interface ProgressView {
  readonly series: readonly ProgressPoint[]
  /** Units handed in per hour, over the last hour (or the run so far, if shorter). */
  readonly throughputPerHour: number
  /** When the units not yet handed in or expired would be done at that pace; null if unknown. */
  readonly etaMs: number | null
}

type UnitState = 'waiting' | 'launched' | 'inProgress' | 'completed' | 'expired'

interface Change {
  readonly at: number
  readonly unitId: string
  readonly state: UnitState
}

/** At most this many points: a chart needs no more, and a big run's history stays cheap to send. */
const MAX_POINTS = 240
const HOUR_MS = 3_600_000

function stateOfAgent(status: string): UnitState {
  if ((HANDED_IN_AGENT_STATUSES as readonly string[]).includes(status)) return 'completed'
  if ((ACTIVE_AGENT_STATUSES as readonly string[]).includes(status)) return 'inProgress'
  // Disconnected, timed out, returned or expired: the unit is offered again.
  return 'launched'
}

/**
 * The run's units by state over time, rebuilt from what the store keeps:
 * each unit starts waiting when created, is launched when first offered (its
 * first agent's registration, or its last update while still `launched`),
 * follows its agents' status history, and is expired when the store says so.
 * Launch times of units nobody took are approximate; every other step is
 * the stored time. A finished run shows its whole curve.
 */
export async function readProgress(
  store: Store,
  taskRunId: string,
  clock: Clock,
): Promise<ProgressView | null> {
  const run = await store.taskRuns.get(taskRunId)
  if (run === null) return null
  const { units, changes } = await unitChanges(store, taskRunId)
  const end = run.endedAt ?? Math.floor(clock.now())
  const series = sweep(units, changes, { start: run.createdAt, end })
  const last = series.at(-1)
  const completedAt = changes.filter((change) => change.state === 'completed').map((c) => c.at)
  const windowStart = Math.max(run.createdAt, end - HOUR_MS)
  const recent = completedAt.filter((at) => at > windowStart).length
  const spanMs = Math.max(end - windowStart, 1)
  const throughputPerHour = (recent * HOUR_MS) / spanMs
  const remaining = last === undefined ? 0 : units.size - last.completed - last.expired
  const etaMs =
    run.endedAt !== null || remaining === 0 || throughputPerHour === 0
      ? null
      : Math.round(end + (remaining / throughputPerHour) * HOUR_MS)
  return { series, throughputPerHour, etaMs }
}

async function unitChanges(
  store: Store,
  taskRunId: string,
): Promise<{ units: Map<string, number>; changes: Change[] }> {
  const unitRows = await store.db
    .selectFrom('units')
    .select(['id', 'status', 'created_at', 'updated_at'])
    .where('task_run_id', '=', taskRunId)
    .where('unit_index', '>=', 0)
    .execute()
  const history = await store.db
    .selectFrom('agent_status_history')
    .innerJoin('agents', 'agents.id', 'agent_status_history.agent_id')
    .innerJoin('units', 'units.id', 'agents.unit_id')
    .select(['agents.unit_id as unitId', 'agent_status_history.status', 'agent_status_history.at'])
    .where('agents.task_run_id', '=', taskRunId)
    .where('units.unit_index', '>=', 0)
    .orderBy('agent_status_history.id')
    .execute()
  const units = new Map(unitRows.map((unit) => [unit.id, unit.created_at]))
  const changes: Change[] = []
  const firstSeen = new Map<string, number>()
  const lastState = new Map<string, UnitState>()
  // Only real steps: an approval after completion is no second completion.
  const step = (change: Change): void => {
    if (lastState.get(change.unitId) === change.state) return
    lastState.set(change.unitId, change.state)
    changes.push(change)
  }
  for (const entry of history) {
    if (!firstSeen.has(entry.unitId)) {
      firstSeen.set(entry.unitId, entry.at)
      step({ at: entry.at, unitId: entry.unitId, state: 'launched' })
    }
    step({ at: entry.at, unitId: entry.unitId, state: stateOfAgent(entry.status) })
  }
  for (const unit of unitRows) {
    if (unit.status === 'launched' && !firstSeen.has(unit.id))
      changes.push({ at: unit.updated_at, unitId: unit.id, state: 'launched' })
    if (unit.status === 'expired') step({ at: unit.updated_at, unitId: unit.id, state: 'expired' })
  }
  // Stable: a unit's steps of one millisecond keep their order.
  changes.sort((a, b) => a.at - b.at)
  return { units, changes }
}

function sweep(
  units: Map<string, number>,
  changes: readonly Change[],
  span: { readonly start: number; readonly end: number },
): ProgressPoint[] {
  const counts: Record<UnitState, number> = {
    waiting: 0,
    launched: 0,
    inProgress: 0,
    completed: 0,
    expired: 0,
  }
  const state = new Map<string, UnitState>()
  const creations = [...units].map(([unitId, at]) => ({ at, unitId, state: 'waiting' as const }))
  const steps = [...creations, ...changes].sort((a, b) => a.at - b.at)
  const bucketMs = Math.max(1, Math.ceil((span.end - span.start) / MAX_POINTS))
  const series: ProgressPoint[] = []
  const snapshot = (at: number): void => {
    const point = { at, ...counts }
    if (series.at(-1)?.at === at) series[series.length - 1] = point
    else series.push(point)
  }
  for (const step of steps) {
    const before = state.get(step.unitId)
    if (before !== undefined) counts[before]--
    counts[step.state]++
    state.set(step.unitId, step.state)
    // Points are bucketed: the last state within each bucket is kept.
    const bucket = span.start + Math.ceil((step.at - span.start) / bucketMs) * bucketMs
    snapshot(Math.min(Math.max(bucket, span.start), span.end))
  }
  snapshot(span.end)
  return series
}
