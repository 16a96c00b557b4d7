import { AgentStatus, err, ok } from '@faust/protocol'
import type { Result } from '@faust/protocol'
import { sql } from 'kysely'
import type { Kysely, Selectable } from 'kysely'
import { decodeJson, encodeJson } from './json-column.js'
import type { RepositoryContext } from './repository-context.js'
import { inTransaction, nowMs } from './repository-context.js'
import type { AgentsTable, Database, UnitsTable } from './schema.js'
import { readStatusHistory, recordStatus, recordStatuses } from './status-history.js'
import type { StatusChange } from './status-history.js'
import { UnitStatus, unitStatusForAgentStatus } from './unit-status.js'
import type { UnitRecord } from './units-repository.js'
import { UnitsRepository, toUnitRecord } from './units-repository.js'
import { AssignmentsRepository } from './assignments-repository.js'

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
  /** When its unit is taken back unless handed in (epoch ms), or `null` if it has no such deadline. */
  readonly deadlineAt: number | null
}

/** What {@link AgentsRepository.reserveUnit} needs. */
export interface ReserveUnitInput {
  /** Candidate units in preference order; the first still free is taken. */
  readonly unitIds: readonly string[]
  readonly workerId: string
  readonly registrationId?: string | null | undefined
  /** The agent's initial task data. @default {} */
  readonly initData?: unknown
  /**
   * The statuses the new agent takes, in order, each recorded in its history;
   * the last is its status. Starting a unit in the reservation's transaction
   * (`[accepted, in task]`) saves a write transaction per registration.
   * @default [accepted]
   */
  readonly statuses?: readonly AgentStatus[] | undefined
  /**
   * The worker's attempt on a crowd platform (provider_attempts), linked to
   * the new agent in the reservation's transaction: an agent of a paid
   * platform never exists without the ids needed to pay it.
   */
  readonly providerAttempt?: ProviderAttemptLink | undefined
}

/** A platform attempt to link to the agent a reservation creates. */
export interface ProviderAttemptLink {
  readonly providerType: string
  readonly attemptId: string
  readonly providerWorkerId: string
  readonly placeId: string
}

/** What {@link AgentsRepository.reserveNext} needs. */
export interface ReserveNextInput {
  readonly taskRunId: string
  readonly workerId: string
  readonly registrationId?: string | null | undefined
  /** As in {@link ReserveUnitInput.statuses}. */
  readonly statuses?: readonly AgentStatus[] | undefined
  /** As in {@link ReserveUnitInput.providerAttempt}. */
  readonly providerAttempt?: ProviderAttemptLink | undefined
  /** The agent's initial task data, from its assignment's shared data. */
  readonly initData: (sharedData: unknown) => unknown
}

/** A won reservation: the new agent and the unit it now holds. */
export interface Reservation {
  readonly agent: AgentRecord
  readonly unit: UnitRecord
}

/** A won {@link AgentsRepository.reserveNext}: also the assignment's shared data. */
export interface NextReservation extends Reservation {
  readonly sharedData: unknown
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
    deadlineAt: row.deadline_at,
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
    return inTransaction(this.#ctx.db, async (trx) => {
      for (const unitId of input.unitIds) {
        const reservation = await this.#claim(trx, unitId, input)
        if (reservation !== null) return ok(reservation)
      }
      return err({ code: 'NO_UNIT_RESERVED' })
    })
  }

  /**
   * Reserves the run's first unit this worker may take (docs/protocol.md §4.2 step 3's
   * candidates, in creation order) and creates its agent, choosing and
   * claiming in one transaction. Nothing else runs on the connection in
   * between, so simultaneous registrations of this process never race for
   * the same unit (with {@link reserveUnit} they all tried the head of the
   * list and all but one retried); the claim stays guarded against other
   * processes.
   */
  async reserveNext(input: ReserveNextInput): Promise<Result<NextReservation, NoUnitReserved>> {
    return inTransaction(this.#ctx.db, async (trx) => {
      const units = new UnitsRepository({ ...this.#ctx, db: trx })
      const assignments = new AssignmentsRepository({ ...this.#ctx, db: trx })
      for (;;) {
        const [unit] = await units.listLaunchable({ ...input, limit: 1 })
        if (unit === undefined) return err({ code: 'NO_UNIT_RESERVED' })
        const sharedData = (await assignments.get(unit.assignmentId))?.sharedData ?? null
        const reservation = await this.#claim(trx, unit.id, {
          ...input,
          initData: input.initData(sharedData),
        })
        if (reservation !== null) return ok({ ...reservation, sharedData })
      }
    })
  }

  /** The guarded claim of one unit and its agent's row; null if the unit was not free. */
  async #claim(
    trx: Kysely<Database>,
    unitId: string,
    input: Omit<ReserveUnitInput, 'unitIds'>,
  ): Promise<Reservation | null> {
    const now = nowMs(this.#ctx.clock)
    const agentId = this.#ctx.generateId()
    // The unit points at the agent before the agent row exists: that
    // foreign key is deferred to commit.
    // SQL rather than the builder here and below: this runs on every
    // registration, and building the statements cost more than running them.
    const {
      rows: [unit],
    } = await sql<Selectable<UnitsTable>>`
      update units set status = ${UnitStatus.ASSIGNED}, worker_id = ${input.workerId},
        agent_id = ${agentId}, updated_at = ${now}
      where id = ${unitId} and status = ${UnitStatus.LAUNCHED}
        and not exists (select 1 from units as held
          where held.assignment_id = units.assignment_id and held.worker_id = ${input.workerId})
      returning *`.execute(trx)
    if (unit === undefined) return null
    const statuses = input.statuses ?? [AgentStatus.ACCEPTED]
    const row: Selectable<AgentsTable> = {
      id: agentId,
      unit_id: unit.id,
      worker_id: input.workerId,
      task_run_id: unit.task_run_id,
      assignment_id: unit.assignment_id,
      status: statuses.at(-1) ?? AgentStatus.ACCEPTED,
      registration_id: input.registrationId ?? null,
      init_data: encodeJson(input.initData ?? {}),
      created_at: now,
      updated_at: now,
      deadline_at: null,
    }
    await sql`
      insert into agents (id, unit_id, worker_id, task_run_id, assignment_id, status,
        registration_id, init_data, created_at, updated_at)
      values (${row.id}, ${row.unit_id}, ${row.worker_id}, ${row.task_run_id},
        ${row.assignment_id}, ${row.status}, ${row.registration_id}, ${row.init_data},
        ${row.created_at}, ${row.updated_at})`.execute(trx)
    await recordStatuses(trx, { kind: 'agent', id: agentId }, { statuses, at: now })
    const attempt = input.providerAttempt
    if (attempt !== undefined) {
      // Reconciliation may have seen the attempt first: it gains the agent.
      await sql`
        insert into provider_attempts (provider_type, attempt_id, agent_id, task_run_id,
          provider_worker_id, place_id)
        values (${attempt.providerType}, ${attempt.attemptId}, ${agentId}, ${unit.task_run_id},
          ${attempt.providerWorkerId}, ${attempt.placeId})
        on conflict (provider_type, attempt_id)
          do update set agent_id = coalesce(provider_attempts.agent_id, excluded.agent_id)`.execute(
        trx,
      )
    }
    return { agent: toAgentRecord(row), unit: toUnitRecord(unit) }
  }

  /**
   * Sets an agent's status, appends it to the history, and moves the unit it
   * still holds to the matching unit status (docs/protocol.md §5.1) unless the unit is
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

  /**
   * Stores when the agent's unit is taken back unless handed in (`null`: no
   * deadline), so a resumed run re-arms it for the time left.
   */
  async setDeadline(agentId: string, deadlineAt: number | null): Promise<void> {
    await this.#ctx.db
      .updateTable('agents')
      .set({ deadline_at: deadlineAt })
      .where('id', '=', agentId)
      .execute()
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

  /** The latest agent created in the run for this `agent_registration_id` (reconnects, docs/protocol.md §4.5), or `null`. */
  async findByRegistration(input: {
    readonly taskRunId: string
    readonly registrationId: string
  }): Promise<AgentRecord | null> {
    // SQL rather than the builder: on every registration.
    const {
      rows: [row],
    } = await sql<Selectable<AgentsTable>>`
      select * from agents
      where task_run_id = ${input.taskRunId} and registration_id = ${input.registrationId}
      order by created_at desc, agents.rowid desc
      limit 1`.execute(this.#ctx.db)
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
