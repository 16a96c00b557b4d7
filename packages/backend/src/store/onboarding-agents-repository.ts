import { AgentStatus } from '@faust/protocol'
import { sql } from 'kysely'
import type { Selectable } from 'kysely'
import type { StatusTransition } from './agents-repository.js'
import { decodeJson, encodeJson } from './json-column.js'
import type { RepositoryContext } from './repository-context.js'
import { inTransaction, nowMs } from './repository-context.js'
import type { OnboardingAgentsTable } from './schema.js'
import { readStatusHistory, recordStatus } from './status-history.js'
import type { StatusChange } from './status-history.js'

/** A worker taking a run's onboarding; on the wire its id is `onboarding_<id>`. */
export interface OnboardingAgentRecord {
  /** 128-bit random hex, without the wire prefix (see {@link toSubjectId}). */
  readonly id: string
  readonly workerId: string
  readonly taskRunId: string
  readonly status: AgentStatus
  readonly registrationId: string | null
  readonly initData: unknown
  /** The submitted onboarding data, or `null` before submission. */
  readonly outputs: unknown
  readonly submitted: boolean
  readonly createdAt: number
  readonly updatedAt: number
}

/** What {@link OnboardingAgentsRepository.create} needs. */
export interface NewOnboardingAgent {
  readonly workerId: string
  readonly taskRunId: string
  readonly registrationId?: string | null | undefined
  /** The run's onboarding data, sent as `init_task_data`. @default {} */
  readonly initData?: unknown
}

function toOnboardingAgentRecord(row: Selectable<OnboardingAgentsTable>): OnboardingAgentRecord {
  return {
    id: row.id,
    workerId: row.worker_id,
    taskRunId: row.task_run_id,
    status: row.status,
    registrationId: row.registration_id,
    initData: decodeJson(row.init_data),
    outputs: row.outputs === null ? null : decodeJson(row.outputs),
    submitted: row.outputs !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** Onboarding agents: creation, status changes with history, outputs stored once. */
export class OnboardingAgentsRepository {
  readonly #ctx: RepositoryContext

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx
  }

  /** Creates an onboarding agent in status `none` (docs/protocol.md §4.2 step 5). */
  async create(input: NewOnboardingAgent): Promise<OnboardingAgentRecord> {
    const now = nowMs(this.#ctx.clock)
    const row: Selectable<OnboardingAgentsTable> = {
      id: this.#ctx.generateId(),
      worker_id: input.workerId,
      task_run_id: input.taskRunId,
      status: AgentStatus.NONE,
      registration_id: input.registrationId ?? null,
      init_data: encodeJson(input.initData ?? {}),
      outputs: null,
      created_at: now,
      updated_at: now,
    }
    await inTransaction(this.#ctx.db, async (trx) => {
      await trx.insertInto('onboarding_agents').values(row).execute()
      await recordStatus(trx, { kind: 'onboarding', id: row.id }, { status: row.status, at: now })
    })
    return toOnboardingAgentRecord(row)
  }

  /** Sets the status and appends it to the history; `null` for an unknown id. */
  async setStatus(id: string, status: AgentStatus): Promise<StatusTransition | null> {
    return inTransaction(this.#ctx.db, async (trx) => {
      const current = await trx
        .selectFrom('onboarding_agents')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirst()
      if (current === undefined) return null
      if (current.status === status) {
        return { previous: current.status, current: status, changed: false }
      }
      const now = nowMs(this.#ctx.clock)
      await trx
        .updateTable('onboarding_agents')
        .set({ status, updated_at: now })
        .where('id', '=', id)
        .execute()
      await recordStatus(trx, { kind: 'onboarding', id }, { status, at: now })
      return { previous: current.status, current: status, changed: true }
    })
  }

  /** Stores the onboarding submission; only the first is kept. Returns whether this one was stored. */
  async storeOutputs(id: string, outputs: unknown): Promise<boolean> {
    const result = await this.#ctx.db
      .updateTable('onboarding_agents')
      .set({ outputs: encodeJson(outputs), updated_at: nowMs(this.#ctx.clock) })
      .where('id', '=', id)
      .where('outputs', 'is', null)
      .executeTakeFirst()
    return result.numUpdatedRows === 1n
  }

  /** A run's onboarding agents in `statuses`, in creation order (resuming a run expires them). */
  async listForRun(
    taskRunId: string,
    statuses: readonly AgentStatus[],
  ): Promise<OnboardingAgentRecord[]> {
    const rows = await this.#ctx.db
      .selectFrom('onboarding_agents')
      .selectAll()
      .where('task_run_id', '=', taskRunId)
      .where('status', 'in', statuses)
      .orderBy(sql`onboarding_agents.rowid`)
      .execute()
    return rows.map(toOnboardingAgentRecord)
  }

  /** The onboarding agent with this id (without the wire prefix), or `null`. */
  async get(id: string): Promise<OnboardingAgentRecord | null> {
    const row = await this.#ctx.db
      .selectFrom('onboarding_agents')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row === undefined ? null : toOnboardingAgentRecord(row)
  }

  /** The latest onboarding agent created in the run for this `agent_registration_id`, or `null`. */
  async findByRegistration(input: {
    readonly taskRunId: string
    readonly registrationId: string
  }): Promise<OnboardingAgentRecord | null> {
    const row = await this.#ctx.db
      .selectFrom('onboarding_agents')
      .selectAll()
      .where('task_run_id', '=', input.taskRunId)
      .where('registration_id', '=', input.registrationId)
      .orderBy('created_at', 'desc')
      .orderBy(sql`onboarding_agents.rowid`, 'desc')
      .executeTakeFirst()
    return row === undefined ? null : toOnboardingAgentRecord(row)
  }

  /** Every status the onboarding agent took, oldest first. */
  async history(id: string): Promise<StatusChange[]> {
    return readStatusHistory(this.#ctx.db, { kind: 'onboarding', id })
  }
}
