import { sql } from 'kysely'
import type { Selectable } from 'kysely'
import { decodeJson } from './json-column.js'
import type { RepositoryContext } from './repository-context.js'
import { nowMs } from './repository-context.js'
import type { UnitsTable } from './schema.js'
import { FINISHED_UNIT_STATUSES, UNIT_STATUSES, UnitStatus } from './unit-status.js'

/** One worker's slot in an assignment. */
export interface UnitRecord {
  readonly id: string
  readonly assignmentId: string
  readonly taskRunId: string
  /** Position in the assignment; negative for screening (-1) and gold (-2) units. */
  readonly unitIndex: number
  /** This unit's own data, beside the assignment's shared data. */
  readonly unitData: unknown
  readonly pay: number
  readonly status: UnitStatus
  readonly workerId: string | null
  readonly agentId: string | null
  readonly createdAt: number
  readonly updatedAt: number
}

/** A worker's unit counts for the `allowed_concurrent` and `maximum_units_per_worker` limits. */
export interface WorkerUnitCounts {
  /** The worker's units in this run whose status is `assigned`. */
  readonly assignedInRun: number
  /** The worker's units in every run of the same task whose status is completed, accepted, rejected or soft_rejected. */
  readonly finishedInTask: number
}

/** A worker and the run it is registering for. */
export interface WorkerInRun {
  readonly taskRunId: string
  readonly workerId: string
}

/** Maps a `units` row to a {@link UnitRecord}. */
export function toUnitRecord(row: Selectable<UnitsTable>): UnitRecord {
  return {
    id: row.id,
    assignmentId: row.assignment_id,
    taskRunId: row.task_run_id,
    unitIndex: row.unit_index,
    unitData: decodeJson(row.unit_data),
    pay: row.pay,
    status: row.status,
    workerId: row.worker_id,
    agentId: row.agent_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

// Creation order: rows created in the same millisecond keep their insertion
// order through SQLite's implicit rowid.
const rowid = sql<number>`units.rowid`

/** Units: launching, candidate selection for registration, release and expiry. */
export class UnitsRepository {
  readonly #ctx: RepositoryContext

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx
  }

  /** The unit with this id, or `null`. */
  async get(id: string): Promise<UnitRecord | null> {
    const row = await this.#ctx.db
      .selectFrom('units')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row === undefined ? null : toUnitRecord(row)
  }

  /** A run's units in creation order, optionally only those in `statuses`, at most `limit`. */
  async list(options: {
    readonly taskRunId: string
    readonly statuses?: readonly UnitStatus[] | undefined
    readonly limit?: number | undefined
  }): Promise<UnitRecord[]> {
    let query = this.#ctx.db
      .selectFrom('units')
      .selectAll()
      .where('task_run_id', '=', options.taskRunId)
    if (options.statuses !== undefined) query = query.where('status', 'in', options.statuses)
    query = query.orderBy('created_at').orderBy(rowid)
    if (options.limit !== undefined) query = query.limit(options.limit)
    return (await query.execute()).map(toUnitRecord)
  }

  /** Moves `created` units to `launched`; returns how many moved (others are left alone). */
  async launch(unitIds: readonly string[]): Promise<number> {
    if (unitIds.length === 0) return 0
    const result = await this.#ctx.db
      .updateTable('units')
      .set({ status: UnitStatus.LAUNCHED, updated_at: nowMs(this.#ctx.clock) })
      .where('id', 'in', unitIds)
      .where('status', '=', UnitStatus.CREATED)
      .executeTakeFirst()
    return Number(result.numUpdatedRows)
  }

  /**
   * Candidate units for a worker (§4.2 step 3, after the limits): the run's
   * `launched` units with index >= 0, minus every assignment in which the
   * worker holds any unit (no pairing with oneself, no redoing an
   * assignment), in creation order.
   */
  async listLaunchable(
    input: WorkerInRun & { readonly limit?: number | undefined },
  ): Promise<UnitRecord[]> {
    const { db } = this.#ctx
    const query = db
      .selectFrom('units')
      .selectAll()
      .where('task_run_id', '=', input.taskRunId)
      .where('status', '=', UnitStatus.LAUNCHED)
      .where('unit_index', '>=', 0)
      .where('assignment_id', 'not in', (eb) =>
        eb
          .selectFrom('units as held')
          .select('held.assignment_id')
          .where('held.task_run_id', '=', input.taskRunId)
          .where('held.worker_id', '=', input.workerId),
      )
      .orderBy('created_at')
      .orderBy(rowid)
    // Registration needs only the first few; a big run has thousands.
    const rows = await (input.limit === undefined ? query : query.limit(input.limit)).execute()
    return rows.map(toUnitRecord)
  }

  /** The counts behind `allowed_concurrent` and `maximum_units_per_worker` (§4.2 step 3). */
  async countForWorker(input: WorkerInRun): Promise<WorkerUnitCounts> {
    const row = await this.#ctx.db
      .selectFrom('units')
      .innerJoin('task_runs', 'task_runs.id', 'units.task_run_id')
      .where('units.worker_id', '=', input.workerId)
      .where('task_runs.task_id', '=', (eb) =>
        eb
          .selectFrom('task_runs as run')
          .select('run.task_id')
          .where('run.id', '=', input.taskRunId),
      )
      .select((eb) => [
        eb.fn
          .sum<number | null>(
            eb
              .case()
              .when(
                eb.and([
                  eb('units.task_run_id', '=', input.taskRunId),
                  eb('units.status', '=', UnitStatus.ASSIGNED),
                ]),
              )
              .then(1)
              .else(0)
              .end(),
          )
          .as('assigned_in_run'),
        eb.fn
          .sum<number | null>(
            eb.case().when('units.status', 'in', FINISHED_UNIT_STATUSES).then(1).else(0).end(),
          )
          .as('finished_in_task'),
      ])
      .executeTakeFirstOrThrow()
    // SUM over no rows is NULL.
    return {
      assignedInRun: row.assigned_in_run ?? 0,
      finishedInTask: row.finished_in_task ?? 0,
    }
  }

  /**
   * Detaches `agentId` from its unit and puts the unit back to `launched` so
   * another worker can take it. Guarded by the holder: a stale release can
   * never free a unit that has since gone to someone else. Returns whether it
   * released.
   */
  async release(input: { readonly unitId: string; readonly agentId: string }): Promise<boolean> {
    const result = await this.#ctx.db
      .updateTable('units')
      .set({
        status: UnitStatus.LAUNCHED,
        agent_id: null,
        worker_id: null,
        updated_at: nowMs(this.#ctx.clock),
      })
      .where('id', '=', input.unitId)
      .where('agent_id', '=', input.agentId)
      .where('status', '=', UnitStatus.ASSIGNED)
      .executeTakeFirst()
    return result.numUpdatedRows === 1n
  }

  /**
   * Marks units `expired` unless their work is already finished; an expired
   * unit keeps that status whatever its agent does later. Returns how many
   * changed.
   */
  async expire(unitIds: readonly string[]): Promise<number> {
    if (unitIds.length === 0) return 0
    const result = await this.#ctx.db
      .updateTable('units')
      .set({ status: UnitStatus.EXPIRED, updated_at: nowMs(this.#ctx.clock) })
      .where('id', 'in', unitIds)
      .where('status', 'in', [UnitStatus.CREATED, UnitStatus.LAUNCHED, UnitStatus.ASSIGNED])
      .executeTakeFirst()
    return Number(result.numUpdatedRows)
  }

  /** Expires a run's units that nobody holds (`created`, `launched`), as on shutdown; returns how many. */
  async expireUnclaimed(taskRunId: string): Promise<number> {
    const result = await this.#ctx.db
      .updateTable('units')
      .set({ status: UnitStatus.EXPIRED, updated_at: nowMs(this.#ctx.clock) })
      .where('task_run_id', '=', taskRunId)
      .where('status', 'in', [UnitStatus.CREATED, UnitStatus.LAUNCHED])
      .executeTakeFirst()
    return Number(result.numUpdatedRows)
  }

  /** How many of a run's units are in each status (every status present, zero if none), for progress display. */
  async summarize(taskRunId: string): Promise<Record<UnitStatus, number>> {
    const rows = await this.#ctx.db
      .selectFrom('units')
      .select((eb) => ['status', eb.fn.countAll<number>().as('count')])
      .where('task_run_id', '=', taskRunId)
      .groupBy('status')
      .execute()
    const summary = Object.fromEntries(UNIT_STATUSES.map((status) => [status, 0])) as Record<
      UnitStatus,
      number
    >
    for (const row of rows) summary[row.status] = row.count
    return summary
  }
}
