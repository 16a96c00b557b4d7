// The checks of a simulation (issue 11), read from the run's SQLite file after
// every process has stopped and compared with what the bots saw.
import { FINISHED_UNIT_STATUSES, type Store } from '@faust/backend/store'
import type { SeenAck, StuckPage } from './sim-record.js'

/** One check's verdict: `violations` says precisely what broke it. */
export interface CheckResult {
  readonly name: string
  readonly violations: readonly string[]
}

/** What the checks compare with the store. */
export interface CheckInput {
  readonly store: Store
  readonly taskName: string
  /** Runs created from this time on (ms) are the simulation's. */
  readonly since: number
  readonly acks: readonly SeenAck[]
  readonly stuck: readonly StuckPage[]
  /** Why the run did not finish, or null when it did. */
  readonly unfinished: string | null
}

/** JSON with sorted keys: two equal values, one text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  )
}

interface UnitRow {
  readonly id: string
  readonly runId: string
  readonly unitIndex: number
  readonly status: string
  readonly item: string
}

/** Every check, in the order. */
export async function runChecks(input: CheckInput): Promise<CheckResult[]> {
  const { store } = input
  const runs = await store.db
    .selectFrom('task_runs')
    .innerJoin('tasks', 'tasks.id', 'task_runs.task_id')
    .where('tasks.name', '=', input.taskName)
    .where('task_runs.created_at', '>=', input.since)
    .select(['task_runs.id as id', 'task_runs.ended_at as endedAt'])
    .execute()
  const runIds = runs.map((run) => run.id)
  if (runIds.length === 0) {
    return [{ name: 'the run finishes', violations: [input.unfinished ?? 'no run was started'] }]
  }
  const units: UnitRow[] = (
    await store.db
      .selectFrom('units')
      .innerJoin('assignments', 'assignments.id', 'units.assignment_id')
      .where('units.task_run_id', 'in', runIds)
      .select([
        'units.id as id',
        'units.task_run_id as runId',
        'units.unit_index as unitIndex',
        'units.status as status',
        'assignments.shared_data as item',
      ])
      .orderBy('units.created_at')
      .execute()
  ).map((row) => ({ ...row, item: canonicalJson(JSON.parse(row.item)) }))
  const submissions = await store.db
    .selectFrom('submissions')
    .innerJoin('agents', 'agents.id', 'submissions.agent_id')
    .where('agents.task_run_id', 'in', runIds)
    .select([
      'submissions.agent_id as agentId',
      'agents.unit_id as unitId',
      'submissions.data as data',
    ])
    .execute()
  return [
    {
      name: 'every acknowledged submission is stored exactly once',
      violations: ackViolations(input.acks, submissions),
    },
    { name: 'no unit is completed by two agents', violations: twoAgentViolations(submissions) },
    { name: 'no item is done twice', violations: twiceDoneViolations(units) },
    { name: 'every unit ends completed', violations: unfinishedUnitViolations(units) },
    {
      name: 'the run finishes',
      violations: [
        ...(input.unfinished === null ? [] : [input.unfinished]),
        ...runs.filter((run) => run.endedAt === null).map((run) => `run ${run.id} never ended`),
      ],
    },
    {
      name: 'no worker is left with a page that cannot go on',
      violations: input.stuck.map(
        (page) => `${page.worker} (agent ${page.agentId ?? 'none'}): ${page.what}`,
      ),
    },
  ]
}

interface StoredSubmission {
  readonly agentId: string
  readonly unitId: string
  readonly data: string
}

function ackViolations(acks: readonly SeenAck[], stored: readonly StoredSubmission[]): string[] {
  const byAgent = new Map<string, StoredSubmission[]>()
  for (const row of stored) byAgent.set(row.agentId, [...(byAgent.get(row.agentId) ?? []), row])
  const violations: string[] = []
  for (const ack of acks) {
    const rows = byAgent.get(ack.agentId) ?? []
    if (rows.length !== 1) {
      violations.push(
        `${ack.worker}'s submission for agent ${ack.agentId} was acknowledged but stored ${String(rows.length)} times`,
      )
    } else if (canonicalJson(JSON.parse(rows[0]?.data ?? 'null')) !== canonicalJson(ack.data)) {
      violations.push(
        `${ack.worker}'s submission for agent ${ack.agentId} is stored with other data than acknowledged`,
      )
    }
  }
  return violations
}

function twoAgentViolations(stored: readonly StoredSubmission[]): string[] {
  const byUnit = new Map<string, string[]>()
  for (const row of stored) byUnit.set(row.unitId, [...(byUnit.get(row.unitId) ?? []), row.agentId])
  return [...byUnit]
    .filter(([, agents]) => agents.length > 1)
    .map(
      ([unit, agents]) =>
        `unit ${unit} has submissions of ${String(agents.length)} agents (${agents.join(', ')})`,
    )
}

const FINISHED = new Set<string>(FINISHED_UNIT_STATUSES)

function itemName(unit: UnitRow): string {
  const text = unit.item.length > 60 ? `${unit.item.slice(0, 57)}...` : unit.item
  return `item ${text} (unit index ${String(unit.unitIndex)})`
}

function twiceDoneViolations(units: readonly UnitRow[]): string[] {
  const done = new Map<string, UnitRow[]>()
  for (const unit of units.filter((candidate) => FINISHED.has(candidate.status))) {
    const key = `${unit.item}#${String(unit.unitIndex)}`
    done.set(key, [...(done.get(key) ?? []), unit])
  }
  return [...done.values()]
    .filter((twice) => twice.length > 1)
    .map(
      (twice) =>
        `${itemName(twice[0] as UnitRow)} was done ${String(twice.length)} times, in runs ${twice.map((unit) => unit.runId).join(', ')}`,
    )
}

function unfinishedUnitViolations(units: readonly UnitRow[]): string[] {
  return units
    .filter((unit) => !FINISHED.has(unit.status))
    .map(
      (unit) => `unit ${unit.id} of run ${unit.runId}, ${itemName(unit)}, ended '${unit.status}'`,
    )
}
