import { AgentStatus, err, ok } from '@faust/protocol'
import type { Result } from '@faust/protocol'
import { sql } from 'kysely'
import type { Kysely, Selectable } from 'kysely'
import { decodeJson, encodeJson } from './json-column.js'
import type { RepositoryContext } from './repository-context.js'
import { inTransaction, nowMs } from './repository-context.js'
import type { AgentsTable, Database } from './schema.js'
import { readStatusHistory, recordStatus } from './status-history.js'
import type { StatusChange } from './status-history.js'
import { UnitStatus, unitStatusForAgentStatus } from './unit-status.js'
import type { UnitRecord } from './units-repository.js'
import { toUnitRecord } from './units-repository.js'

/** One worker's attempt at one unit. */
export interface AgentRecord {
  /** 128-bit random hex: the browser's only credential, so it must not be guessable. */
  readonly id: string
  readonly unitId: string
  readonly workerId: string
  readonly taskRunId: string
  readonly assignmentId: string
  readonly status: AgentStatus
  /** The provider's `agent_registration_id` (`<assignment>-<worker>`), for reconnects. */
  readonly registrationId: string | null
  readonly initData: unknown
  readonly createdAt: number
  readonly updatedAt: number
}

/** What {@link AgentsRepository.reserveUnit} needs. */
export interface ReserveUnitInput {
  /** Candidate units in preference order; the first still free is taken. */
  readonly unitIds: readonly string[]
  readonly workerId: string
  readonly registrationId?: string | null | undefined
  /** The agent's initial task data. @default {} */
  readonly initData?: unknown
}

/** A won reservation: the new agent and the unit it now holds. */
export interface Reservation {
  readonly agent: AgentRecord
  readonly unit: UnitRecord
}

/** None of the candidate units could be reserved (all taken meanwhile). */
export interface NoUnitReserved {
  readonly code: 'NO_UNIT_RESERVED'
}

/** The outcome of a status update. */
export interface StatusTransition {
  readonly previous: AgentStatus
  readonly current: AgentStatus
  /** False when the agent already had that status: nothing was written. */
  readonly changed: boolean
}

/** Maps an `agents` row to an {@link AgentRecord}. */
function toAgentRecord(row: Selectable<AgentsTable>): AgentRecord {
  return {
    id: row.id,
    unitId: row.unit_id,
    workerId: row.worker_id,
    taskRunId: row.task_run_id,
    assignmentId: row.assignment_id,
    status: row.status,
    registrationId: row.registration_id,
    initData: decodeJson(row.init_data),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** Agents: unit reservation, status changes with history, look-ups. */
export class AgentsRepository {
  readonly #ctx: RepositoryContext

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx
  }

  /**
   * Reserves the first free candidate unit and creates its agent (status
   * `accepted`), in one transaction. The claim is a guarded
   * `UPDATE … WHERE status = 'launched'`, so of any number of simultaneous
   * reservations for a unit exactly one wins; it also refuses a unit whose
   * assignment the worker already holds, so a worker racing itself cannot
   * pair with itself.
   */
  async reserveUnit(input: ReserveUnitInput): Promise<Result<Reservation, NoUnitReserved>> {
    const { clock, generateId } = this.#ctx
    return inTransaction(this.#ctx.db, async (trx) => {
      for (const unitId of input.unitIds) {
        const now = nowMs(clock)
        const agentId = generateId()
        // The unit points at the agent before the agent row exists: that
        // foreign key is deferred to commit.
        const unit = await trx
          .updateTable('units')
          .set({
            status: UnitStatus.ASSIGNED,
            worker_id: input.workerId,
            agent_id: agentId,
            updated_at: now,
          })
          .where('id', '=', unitId)
          .where('status', '=', UnitStatus.LAUNCHED)
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('units as held')
                  .select(sql.lit(1).as('one'))
                  .whereRef('held.assignment_id', '=', 'units.assignment_id')
                  .where('held.worker_id', '=', input.workerId),
              ),
            ),
          )
          .returningAll()
          .executeTakeFirst()
        if (unit === undefined) continue
        const row: Selectable<AgentsTable> = {
          id: agentId,
          unit_id: unit.id,
          worker_id: input.workerId,
          task_run_id: unit.task_run_id,
          assignment_id: unit.assignment_id,
          status: AgentStatus.ACCEPTED,
          registration_id: input.registrationId ?? null,
          init_data: encodeJson(input.initData ?? {}),
          created_at: now,
          updated_at: now,
        }
        await trx.insertInto('agents').values(row).execute()
        await recordStatus(trx, { kind: 'agent', id: agentId }, { status: row.status, at: now })
        return ok({ agent: toAgentRecord(row), unit: toUnitRecord(unit) })
      }
      return err({ code: 'NO_UNIT_RESERVED' })
    })
  }

  /**
   * Sets an agent's status, appends it to the history, and moves the unit it
   * still holds to the matching unit status (§5.1) unless the unit is
   * `expired` or the mapping would reopen it (detaching is
   * {@link UnitsRepository.release}). Returns `null` for an unknown agent.
   */
  async setStatus(agentId: string, status: AgentStatus): Promise<StatusTransition | null> {
    return inTransaction(this.#ctx.db, async (trx) => {
      const current = await trx
        .selectFrom('agents')
        .select(['status', 'unit_id'])
        .where('id', '=', agentId)
        .executeTakeFirst()
      if (current === undefined) return null
      if (current.status === status) {
        return { previous: current.status, current: status, changed: false }
      }
      const now = nowMs(this.#ctx.clock)
      await trx
        .updateTable('agents')
        .set({ status, updated_at: now })
        .where('id', '=', agentId)
        .execute()
      await recordStatus(trx, { kind: 'agent', id: agentId }, { status, at: now })
      await syncUnitStatus(trx, { unitId: current.unit_id, agentId, status, now })
      return { previous: current.status, current: status, changed: true }
    })
  }

  /** The agent with this id, or `null`. */
  async get(id: string): Promise<AgentRecord | null> {
    const row = await this.#ctx.db
      .selectFrom('agents')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row === undefined ? null : toAgentRecord(row)
  }

  /** The latest agent created in the run for this `agent_registration_id` (reconnects, §4.5), or `null`. */
  async findByRegistration(input: {
    readonly taskRunId: string
    readonly registrationId: string
  }): Promise<AgentRecord | null> {
    const row = await this.#ctx.db
      .selectFrom('agents')
      .selectAll()
      .where('task_run_id', '=', input.taskRunId)
      .where('registration_id', '=', input.registrationId)
      .orderBy('created_at', 'desc')
      .orderBy(sql`agents.rowid`, 'desc')
      .executeTakeFirst()
    return row === undefined ? null : toAgentRecord(row)
  }

  /** A run's agents in creation order, optionally only those in `statuses`. */
  async listForRun(taskRunId: string, statuses?: readonly AgentStatus[]): Promise<AgentRecord[]> {
    let query = this.#ctx.db.selectFrom('agents').selectAll().where('task_run_id', '=', taskRunId)
    if (statuses !== undefined) query = query.where('status', 'in', statuses)
    const rows = await query
      .orderBy('created_at')
      .orderBy(sql`agents.rowid`)
      .execute()
    return rows.map(toAgentRecord)
  }

  /** An assignment's agents (including detached ones) in creation order. */
  async listForAssignment(assignmentId: string): Promise<AgentRecord[]> {
    const rows = await this.#ctx.db
      .selectFrom('agents')
      .selectAll()
      .where('assignment_id', '=', assignmentId)
      .orderBy('created_at')
      .orderBy(sql`agents.rowid`)
      .execute()
    return rows.map(toAgentRecord)
  }

  /** Every status the agent took, oldest first. */
  async history(agentId: string): Promise<StatusChange[]> {
    return readStatusHistory(this.#ctx.db, { kind: 'agent', id: agentId })
  }
}

async function syncUnitStatus(
  trx: Kysely<Database>,
  change: { unitId: string; agentId: string; status: AgentStatus; now: number },
): Promise<void> {
  const unitStatus = unitStatusForAgentStatus(change.status)
  if (unitStatus === UnitStatus.LAUNCHED) return
  await trx
    .updateTable('units')
    .set({ status: unitStatus, updated_at: change.now })
    .where('id', '=', change.unitId)
    .where('agent_id', '=', change.agentId)
    .where('status', '<>', UnitStatus.EXPIRED)
    .execute()
}
