import { sql } from 'kysely'
import type { Selectable } from 'kysely'
import { decodeJson, encodeJson } from './json-column.js'
import type { RepositoryContext } from './repository-context.js'
import { inTransaction, nowMs } from './repository-context.js'
import type { AssignmentsTable, UnitsTable } from './schema.js'
import { UnitStatus } from './unit-status.js'
import type { UnitRecord } from './units-repository.js'
import { toUnitRecord } from './units-repository.js'
import { StoreValueError } from '../util/backend-error.js'

/** A group of units sharing one piece of data (one unit per worker). */
export interface AssignmentRecord {
  readonly id: string
  readonly taskRunId: string
  readonly sharedData: unknown
  readonly createdAt: number
}

/** An assignment together with its units, in index order. */
export interface AssignmentWithUnits extends AssignmentRecord {
  readonly units: readonly UnitRecord[]
}

/** One unit to create. */
export interface NewUnit {
  readonly pay: number
  /** @default {} */
  readonly unitData?: unknown
  /** @default the unit's position in {@link NewAssignment.units} */
  readonly unitIndex?: number | undefined
}

/** One assignment to create, with its units. */
export interface NewAssignment {
  readonly sharedData: unknown
  readonly units: readonly NewUnit[]
}

/** Options for {@link AssignmentsRepository.create}. */
export interface CreateAssignmentsOptions {
  /**
   * Create the units `launched` rather than `created`, as for screening and
   * gold units that are launched the moment they are made.
   * @default false
   */
  readonly launch?: boolean | undefined
}

function toAssignmentRecord(row: Selectable<AssignmentsTable>): AssignmentRecord {
  return {
    id: row.id,
    taskRunId: row.task_run_id,
    sharedData: decodeJson(row.shared_data),
    createdAt: row.created_at,
  }
}

/** Assignments and their units. */
export class AssignmentsRepository {
  readonly #ctx: RepositoryContext

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx
  }

  /** Creates assignments with their units in one transaction: all or none. */
  async create(
    taskRunId: string,
    assignments: readonly NewAssignment[],
    options: CreateAssignmentsOptions = {},
  ): Promise<AssignmentWithUnits[]> {
    for (const assignment of assignments) {
      for (const unit of assignment.units) {
        if (!Number.isFinite(unit.pay) || unit.pay < 0) {
          throw new StoreValueError(`unit pay must be a finite number >= 0, got ${unit.pay}`)
        }
        if (unit.unitIndex !== undefined && !Number.isSafeInteger(unit.unitIndex)) {
          throw new StoreValueError(`unit index must be an integer, got ${unit.unitIndex}`)
        }
      }
    }
    const { clock, generateId } = this.#ctx
    const status = options.launch === true ? UnitStatus.LAUNCHED : UnitStatus.CREATED
    return inTransaction(this.#ctx.db, async (trx) => {
      const created: AssignmentWithUnits[] = []
      for (const assignment of assignments) {
        const now = nowMs(clock)
        const assignmentRow: Selectable<AssignmentsTable> = {
          id: generateId(),
          task_run_id: taskRunId,
          shared_data: encodeJson(assignment.sharedData),
          created_at: now,
        }
        await trx.insertInto('assignments').values(assignmentRow).execute()
        const unitRows: Selectable<UnitsTable>[] = assignment.units.map((unit, position) => ({
          id: generateId(),
          assignment_id: assignmentRow.id,
          task_run_id: taskRunId,
          unit_index: unit.unitIndex ?? position,
          unit_data: encodeJson(unit.unitData ?? {}),
          pay: unit.pay,
          status,
          worker_id: null,
          agent_id: null,
          created_at: now,
          updated_at: now,
        }))
        if (unitRows.length > 0) await trx.insertInto('units').values(unitRows).execute()
        created.push({ ...toAssignmentRecord(assignmentRow), units: unitRows.map(toUnitRecord) })
      }
      return created
    })
  }

  /** The assignment with this id, or `null`. */
  async get(id: string): Promise<AssignmentRecord | null> {
    // SQL rather than the builder: on every registration.
    const {
      rows: [row],
    } = await sql<Selectable<AssignmentsTable>>`select * from assignments where id = ${id}`.execute(
      this.#ctx.db,
    )
    return row === undefined ? null : toAssignmentRecord(row)
  }

  /** The assignment with this id and its units in index order, or `null`. */
  async getWithUnits(id: string): Promise<AssignmentWithUnits | null> {
    const assignment = await this.get(id)
    if (assignment === null) return null
    const units = await this.#ctx.db
      .selectFrom('units')
      .selectAll()
      .where('assignment_id', '=', id)
      .orderBy('unit_index')
      .execute()
    return { ...assignment, units: units.map(toUnitRecord) }
  }

  /** A run's assignments, in creation order. */
  async listForRun(taskRunId: string): Promise<AssignmentRecord[]> {
    const rows = await this.#ctx.db
      .selectFrom('assignments')
      .selectAll()
      .where('task_run_id', '=', taskRunId)
      .orderBy('created_at')
      .orderBy(sql`assignments.rowid`)
      .execute()
    return rows.map(toAssignmentRecord)
  }
}
