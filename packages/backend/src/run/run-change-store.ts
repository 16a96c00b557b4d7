import { AgentStatus, FINAL_AGENT_STATUSES } from '@faust/protocol'
import type { RunSettings } from '../services/context/live-run-settings.js'
import type { AuditActor } from '../store/audit-repository.js'
import type { Repositories } from '../store/repositories.js'
import type { Store } from '../store/store.js'
import type { TaskRunRecord } from '../store/task-runs-repository.js'
import { UnitStatus } from '../store/unit-status.js'
import type { UnitRecord } from '../store/units-repository.js'
import { RunError } from '../util/backend-error.js'
import type { RunUnit } from './run-options.js'
import { invalid, RUN_CHANGE_ACTIONS, type RunChange, type RunTaskFacts } from './run-change.js'

/** A stored run as a change sees it: its task's facts and its settings now. */
export interface StoredRun {
  readonly run: TaskRunRecord
  readonly facts: RunTaskFacts
  readonly settings: RunSettings
}

function numberOf(config: Record<string, unknown>, key: string, fallback: number): number {
  const value = config[key]
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback
}

/** The facts and settings stored with the run (describe-task.ts), for a process that has no task definition. */
export function storedFacts(run: TaskRunRecord): {
  facts: RunTaskFacts
  settings: RunSettings
} {
  const config = (
    typeof run.config === 'object' && run.config !== null ? run.config : {}
  ) as Record<string, unknown>
  return {
    facts: {
      taskName: typeof config['name'] === 'string' ? config['name'] : '',
      taskType: typeof config['taskType'] === 'string' ? config['taskType'] : 'static',
      unitsPerAssignment: numberOf(config, 'unitsPerAssignment', 1),
      pay: numberOf(config, 'pay', 0),
      quality: Boolean(config['screening']) || Boolean(config['golds']),
    },
    settings: {
      maxConcurrentUnits: numberOf(config, 'maxConcurrentUnits', 0),
      maximumUnitsPerWorker: numberOf(config, 'maximumUnitsPerWorker', 0),
      allowedConcurrent: numberOf(config, 'allowedConcurrent', 0),
      assignmentDurationSeconds: numberOf(config, 'assignmentDurationSeconds', 1800),
      launching: 'open',
    },
  }
}

/** The run (RUN_NOT_FOUND if none) with its facts and its settings: as changed, else its task's. */
export async function loadStoredRun(store: Store, taskRunId: string): Promise<StoredRun> {
  const run = await store.taskRuns.get(taskRunId)
  if (run === null) throw new RunError('RUN_NOT_FOUND', `no run ${taskRunId} in this data folder`)
  const { facts, settings } = storedFacts(run)
  const stored = await store.runControl.getSettings(taskRunId)
  return { run, facts, settings: stored?.settings ?? settings }
}

/** A change to a run that has ended. */
export function runEnded(taskRunId: string): RunError {
  return new RunError('RUN_ENDED', `run ${taskRunId} has ended: it can no longer be changed`)
}

/** The units an `expire_units` change names, checked against the run's (RUN_CHANGE_INVALID for another's). */
export async function unitsToExpire(
  store: Store,
  taskRunId: string,
  units: readonly string[] | 'unassigned',
): Promise<UnitRecord[]> {
  const all = await store.units.list({ taskRunId })
  if (units === 'unassigned') {
    // Never a unit a worker is on: those are named one by one.
    return all.filter(
      (unit) =>
        unit.unitIndex >= 0 &&
        (unit.status === UnitStatus.CREATED || unit.status === UnitStatus.LAUNCHED),
    )
  }
  const byId = new Map(all.map((unit) => [unit.id, unit]))
  const unknown = units.filter((id) => !byId.has(id))
  if (unknown.length > 0) throw invalid(`not units of run ${taskRunId}: ${unknown.join(', ')}`)
  return [...new Set(units)].flatMap((id) => {
    const unit = byId.get(id)
    return unit === undefined ? [] : [unit]
  })
}

/** The agents still on `units` (not final), to be expired with them. */
export async function agentsOn(
  store: Store,
  taskRunId: string,
  units: readonly UnitRecord[],
): Promise<string[]> {
  const held = new Set(units.filter((unit) => unit.status === UnitStatus.ASSIGNED).map((u) => u.id))
  if (held.size === 0) return []
  const agents = await store.agents.listForRun(taskRunId)
  return agents
    .filter((agent) => !FINAL_AGENT_STATUSES.has(agent.status) && held.has(agent.unitId))
    .map((agent) => agent.id)
}

/** Stores new items as assignments of the run, `unitsPerAssignment` units each; returns the new units in order. */
export async function storeAddedItems(
  tx: Repositories,
  run: { readonly taskRunId: string; readonly facts: RunTaskFacts },
  items: readonly unknown[],
): Promise<RunUnit[]> {
  const { taskRunId, facts } = run
  const created = await tx.assignments.create(
    taskRunId,
    items.map((item) => ({
      sharedData: item,
      units: Array.from({ length: facts.unitsPerAssignment }, () => ({ pay: facts.pay })),
    })),
  )
  return created.flatMap((assignment) =>
    assignment.units.map((unit) => ({
      id: unit.id,
      assignmentId: unit.assignmentId,
      unitIndex: unit.unitIndex,
    })),
  )
}

/** The audit entry of a change, written in the change's transaction where it has one. */
export async function auditChange(
  tx: Repositories,
  entry: {
    readonly actor: AuditActor
    readonly run: StoredRun | { readonly taskName: string; readonly taskRunId: string }
    readonly change: RunChange
    readonly detail: Record<string, unknown>
    readonly outcome?: 'done' | 'already_done' | 'failed'
    readonly error?: string
  },
): Promise<void> {
  const { taskName, taskRunId } =
    'facts' in entry.run
      ? { taskName: entry.run.facts.taskName, taskRunId: entry.run.run.id }
      : entry.run
  await tx.audit.record({
    actor: entry.actor,
    action: RUN_CHANGE_ACTIONS[entry.change.kind],
    taskName,
    taskRunId,
    target: taskRunId,
    detail: entry.detail,
    outcome: entry.outcome ?? 'done',
    error: entry.error ?? null,
  })
}

/** The audit detail of a settings change: what it was and what it is. */
export function settingsDetail(
  change: RunChange,
  before: RunSettings,
  after: RunSettings,
): Record<string, unknown> {
  if (change.kind === 'set')
    return { setting: change.setting, from: before[change.setting], to: change.value }
  return { launching: { from: before.launching, to: after.launching } }
}

/** An agent expired straight in the store (no page is connected to tell). */
export async function expireStoredAgent(store: Store, agentId: string): Promise<void> {
  await store.agents.setStatus(agentId, AgentStatus.EXPIRED)
}
