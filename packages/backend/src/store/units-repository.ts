import { sql } from 'kysely'
import type { Selectable } from 'kysely'
import { idChunks } from './id-chunks.js'
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
    let moved = 0
    for (const chunk of idChunks(unitIds)) {
      const result = await this.#ctx.db
        .updateTable('units')
        .set({ status: UnitStatus.LAUNCHED, updated_at: nowMs(this.#ctx.clock) })
        .where('id', 'in', chunk)
        .where('status', '=', UnitStatus.CREATED)
        .executeTakeFirst()
      moved += Number(result.numUpdatedRows)
    }
    return moved
  }

  /**
   * Candidate units for a worker (docs/protocol.md §4.2 step 3, after the limits): the run's
   * `launched` units with index >= 0, minus every assignment in which the
   * worker holds any unit (no pairing with oneself, no redoing an
   * assignment), in creation order.
   */
  async listLaunchable(
    input: WorkerInRun & { readonly limit?: number | undefined },
  ): Promise<UnitRecord[]> {
    // Creation order is rowid order (rows are only appended, never deleted);
    // the (task_run_id, status) index is already in rowid order, so this
    // reads the first few entries and stops. Ordering by `created_at` first
    // made SQLite sort every launchable unit, since a run's units share one
    // creation time. Written as SQL: this runs on every registration, and
    // building it with the query builder cost several times the query.
    const { rows } = await sql<Selectable<UnitsTable>>`
      select * from units
      where task_run_id = ${input.taskRunId} and status = ${UnitStatus.LAUNCHED}
        and unit_index >= 0
        and assignment_id not in (
          select held.assignment_id from units as held
          where held.task_run_id = ${input.taskRunId} and held.worker_id = ${input.workerId})
      order by units.rowid
      limit ${input.limit ?? -1}`.execute(this.#ctx.db)
    return rows.map(toUnitRecord)
  }

  /** The counts behind `allowed_concurrent` and `maximum_units_per_worker` (docs/protocol.md §4.2 step 3). */
  async countForWorker(input: WorkerInRun): Promise<WorkerUnitCounts> {
    // SQL rather than the builder: on every registration with a limit set.
    const { rows } = await sql<{
      assigned_in_run: number | null
      finished_in_task: number | null
    }>`
      select
        sum(case when units.task_run_id = ${input.taskRunId}
          and units.status = ${UnitStatus.ASSIGNED} then 1 else 0 end) as assigned_in_run,
        sum(case when units.status in (${sql.join(FINISHED_UNIT_STATUSES)})
          then 1 else 0 end) as finished_in_task
      from units inner join task_runs on task_runs.id = units.task_run_id
      where units.worker_id = ${input.workerId}
        and task_runs.task_id = (select run.task_id from task_runs as run where run.id = ${input.taskRunId})`.execute(
      this.#ctx.db,
    )
    // SUM over no rows is NULL.
    return {
      assignedInRun: rows[0]?.assigned_in_run ?? 0,
      finishedInTask: rows[0]?.finished_in_task ?? 0,
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
    let changed = 0
    for (const chunk of idChunks(unitIds)) {
      const result = await this.#ctx.db
        .updateTable('units')
        .set({ status: UnitStatus.EXPIRED, updated_at: nowMs(this.#ctx.clock) })
        .where('id', 'in', chunk)
        .where('status', 'in', [UnitStatus.CREATED, UnitStatus.LAUNCHED, UnitStatus.ASSIGNED])
        .executeTakeFirst()
      changed += Number(result.numUpdatedRows)
    }
    return changed
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

  /**
   * How many of a run's units are in each status (every status present, zero
   * if none), for progress display and the run's end. Only the run's work:
   * screening and gold units (index < 0) are made per worker on demand and
   * neither count nor hold the run open.
   */
  async summarize(taskRunId: string): Promise<Record<UnitStatus, number>> {
    const rows = await this.#ctx.db
      .selectFrom('units')
      .select((eb) => ['status', eb.fn.countAll<number>().as('count')])
      .where('task_run_id', '=', taskRunId)
      .where('unit_index', '>=', 0)
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
