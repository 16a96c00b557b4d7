import { sql } from 'kysely'
import type { Selectable } from 'kysely'
import type { RepositoryContext } from './repository-context.js'
import { nowMs } from './repository-context.js'
import type {
  ProviderActionKind,
  ProviderActionsTable,
  ProviderAttemptsTable,
  ProviderListingsTable,
  ReconcileEventsTable,
} from './schema.js'
import { StoreError } from '../util/backend-error.js'

/** A run's listing on a crowd platform (`provider_listings`). */
export interface ProviderListingRow {
  readonly taskRunId: string
  readonly providerType: string
  readonly sandbox: boolean
  /** NULL while `publishing`: the platform's answer has not been stored yet. */
  readonly listingId: string | null
  readonly state: ProviderListingState
  readonly details: Readonly<Record<string, unknown>>
  readonly completionCode: string
  readonly createdAt: number
  readonly updatedAt: number
}

/** `publishing` is written before the platform is called, `open` after its answer. */
export type ProviderListingState = 'publishing' | 'open' | 'closed'

/** A worker's attempt on the platform (`provider_attempts`). */
export interface ProviderAttemptRow {
  readonly providerType: string
  readonly attemptId: string
  readonly agentId: string | null
  readonly taskRunId: string
  readonly providerWorkerId: string
  readonly placeId: string
  /** The AttemptStatus reconciliation last saw, or null before it looked. */
  readonly status: string | null
  readonly providerStatus: string | null
  readonly checkedAt: number | null
}

/** What a recorded attempt is made from. */
export type NewProviderAttempt = Omit<ProviderAttemptRow, 'status' | 'providerStatus' | 'checkedAt'>

export type { ProviderActionKind }

/** One call that moves money or standing (`provider_actions`). */
export interface ProviderActionRow {
  readonly id: string
  readonly key: string
  readonly taskRunId: string
  readonly agentId: string | null
  readonly kind: ProviderActionKind
  readonly amountCents: number | null
  readonly reason: string | null
  readonly state: 'pending' | 'done' | 'failed'
  readonly error: string | null
  readonly createdAt: number
  readonly updatedAt: number
}

/** What {@link ProviderRecordsRepository.beginAction} writes. */
export type NewProviderAction = Pick<
  ProviderActionRow,
  'key' | 'taskRunId' | 'agentId' | 'kind' | 'amountCents' | 'reason'
>

/** One line of reconciliation's audit log (`reconcile_events`). */
export interface ReconcileEventRow {
  readonly id: string
  readonly taskRunId: string
  readonly at: number
  readonly kind: string
  readonly agentId: string | null
  readonly attemptId: string | null
  readonly detail: string
  readonly dryRun: boolean
  readonly applied: boolean
}

function toListing(row: Selectable<ProviderListingsTable>): ProviderListingRow {
  return {
    taskRunId: row.task_run_id,
    providerType: row.provider_type,
    sandbox: row.sandbox === 1,
    listingId: row.listing_id,
    state: row.state,
    details: JSON.parse(row.details) as Record<string, unknown>,
    completionCode: row.completion_code,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

function toAttempt(row: Selectable<ProviderAttemptsTable>): ProviderAttemptRow {
  return {
    providerType: row.provider_type,
    attemptId: row.attempt_id,
    agentId: row.agent_id,
    taskRunId: row.task_run_id,
    providerWorkerId: row.provider_worker_id,
    placeId: row.place_id,
    status: row.status,
    providerStatus: row.provider_status,
    checkedAt: row.checked_at,
  }
}

function toAction(row: Selectable<ProviderActionsTable>): ProviderActionRow {
  return {
    id: row.id,
    key: row.action_key,
    taskRunId: row.task_run_id,
    agentId: row.agent_id,
    kind: row.kind,
    amountCents: row.amount_cents,
    reason: row.reason,
    state: row.state,
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

function toEvent(row: Selectable<ReconcileEventsTable>): ReconcileEventRow {
  return {
    id: row.id,
    taskRunId: row.task_run_id,
    at: row.at,
    kind: row.kind,
    agentId: row.agent_id,
    attemptId: row.attempt_id,
    detail: row.detail,
    dryRun: row.dry_run === 1,
    applied: row.applied === 1,
  }
}

/**
 * What a run on a real crowd platform keeps so that a crash never publishes
 * twice or pays twice (docs/providers.md): its listing, the workers'
 * attempts, the money calls, reconciliation's log and completion codes.
 */
export class ProviderRecordsRepository {
  readonly #ctx: RepositoryContext

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx
  }

  // ---- listings

  async getListing(taskRunId: string): Promise<ProviderListingRow | null> {
    const row = await this.#ctx.db
      .selectFrom('provider_listings')
      .selectAll()
      .where('task_run_id', '=', taskRunId)
      .executeTakeFirst()
    return row === undefined ? null : toListing(row)
  }

  /**
   * The run's listing row, written as `publishing` if it has none: durable
   * before the platform is asked, so a crash mid-publish is resumed with the
   * platform's `previous` record instead of a second listing.
   */
  async startPublishing(input: {
    readonly taskRunId: string
    readonly providerType: string
    readonly sandbox: boolean
    readonly completionCode: string
  }): Promise<ProviderListingRow> {
    const now = nowMs(this.#ctx.clock)
    await this.#ctx.db
      .insertInto('provider_listings')
      .values({
        task_run_id: input.taskRunId,
        provider_type: input.providerType,
        sandbox: input.sandbox ? 1 : 0,
        listing_id: null,
        state: 'publishing',
        details: '{}',
        completion_code: input.completionCode,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('task_run_id').doNothing())
      .execute()
    const listing = await this.getListing(input.taskRunId)
    if (listing === null)
      throw new StoreError('STORE_INCONSISTENT', 'provider listing vanished right after its insert')
    return listing
  }

  /** The platform's answer to publish: the listing is `open`. */
  async savePublished(
    taskRunId: string,
    published: { readonly listingId: string; readonly details: Readonly<Record<string, unknown>> },
  ): Promise<void> {
    await this.#ctx.db
      .updateTable('provider_listings')
      .set({
        listing_id: published.listingId,
        details: JSON.stringify(published.details),
        state: 'open',
        updated_at: nowMs(this.#ctx.clock),
      })
      .where('task_run_id', '=', taskRunId)
      .execute()
  }

  async setListingState(taskRunId: string, state: ProviderListingState): Promise<void> {
    await this.#ctx.db
      .updateTable('provider_listings')
      .set({ state, updated_at: nowMs(this.#ctx.clock) })
      .where('task_run_id', '=', taskRunId)
      .execute()
  }

  /** Listings of this platform not closed whose run is unfinished: the ones a start must not clean up. */
  async listLiveListings(providerType: string): Promise<ProviderListingRow[]> {
    const rows = await this.#ctx.db
      .selectFrom('provider_listings')
      .innerJoin('task_runs', 'task_runs.id', 'provider_listings.task_run_id')
      .selectAll('provider_listings')
      .where('provider_listings.provider_type', '=', providerType)
      .where('provider_listings.state', '<>', 'closed')
      .where('task_runs.ended_at', 'is', null)
      .execute()
    return rows.map(toListing)
  }

  // ---- attempts

  /**
   * Records an attempt; an existing row (seen by reconciliation before the
   * registration) gains the agent if it had none.
   */
  async recordAttempt(attempt: NewProviderAttempt): Promise<void> {
    await this.#ctx.db
      .insertInto('provider_attempts')
      .values({
        provider_type: attempt.providerType,
        attempt_id: attempt.attemptId,
        agent_id: attempt.agentId,
        task_run_id: attempt.taskRunId,
        provider_worker_id: attempt.providerWorkerId,
        place_id: attempt.placeId,
        status: null,
        provider_status: null,
        checked_at: null,
      })
      .onConflict((oc) =>
        oc.columns(['provider_type', 'attempt_id']).doUpdateSet((eb) => ({
          agent_id: eb.fn.coalesce('provider_attempts.agent_id', 'excluded.agent_id'),
        })),
      )
      .execute()
  }

  async listAttempts(taskRunId: string): Promise<ProviderAttemptRow[]> {
    const rows = await this.#ctx.db
      .selectFrom('provider_attempts')
      .selectAll()
      .where('task_run_id', '=', taskRunId)
      // Insertion order, oldest first: MTurk's inference takes the newest attempt on a HIT as its holder.
      .orderBy(sql`rowid`)
      .execute()
    return rows.map(toAttempt)
  }

  async findAttempt(providerType: string, attemptId: string): Promise<ProviderAttemptRow | null> {
    const row = await this.#ctx.db
      .selectFrom('provider_attempts')
      .selectAll()
      .where('provider_type', '=', providerType)
      .where('attempt_id', '=', attemptId)
      .executeTakeFirst()
    return row === undefined ? null : toAttempt(row)
  }

  async findAttemptByAgent(agentId: string): Promise<ProviderAttemptRow | null> {
    const row = await this.#ctx.db
      .selectFrom('provider_attempts')
      .selectAll()
      .where('agent_id', '=', agentId)
      .executeTakeFirst()
    return row === undefined ? null : toAttempt(row)
  }

  /** What the platform said of the attempt, when reconciliation last looked. */
  async updateAttemptStatus(input: {
    readonly providerType: string
    readonly attemptId: string
    readonly status: string
    readonly providerStatus: string
  }): Promise<void> {
    await this.#ctx.db
      .updateTable('provider_attempts')
      .set({
        status: input.status,
        provider_status: input.providerStatus,
        checked_at: nowMs(this.#ctx.clock),
      })
      .where('provider_type', '=', input.providerType)
      .where('attempt_id', '=', input.attemptId)
      .execute()
  }

  // ---- actions

  async findAction(key: string): Promise<ProviderActionRow | null> {
    const row = await this.#ctx.db
      .selectFrom('provider_actions')
      .selectAll()
      .where('action_key', '=', key)
      .executeTakeFirst()
    return row === undefined ? null : toAction(row)
  }

  /**
   * The action under `key`, written `pending` if new: durable before the
   * platform is called, so a retry after a crash reuses the key. An existing
   * row is returned as it is.
   */
  async beginAction(action: NewProviderAction): Promise<ProviderActionRow> {
    const now = nowMs(this.#ctx.clock)
    await this.#ctx.db
      .insertInto('provider_actions')
      .values({
        id: this.#ctx.generateId(),
        action_key: action.key,
        task_run_id: action.taskRunId,
        agent_id: action.agentId,
        kind: action.kind,
        amount_cents: action.amountCents,
        reason: action.reason,
        state: 'pending',
        error: null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('action_key').doNothing())
      .execute()
    const row = await this.findAction(action.key)
    if (row === null)
      throw new StoreError('STORE_INCONSISTENT', 'provider action vanished right after its insert')
    return row
  }

  /** The call's outcome; `pending` again (with the error) when it may be retried. */
  async finishAction(
    key: string,
    outcome: { readonly state: ProviderActionRow['state']; readonly error?: string | null },
  ): Promise<void> {
    await this.#ctx.db
      .updateTable('provider_actions')
      .set({
        state: outcome.state,
        error: outcome.error ?? null,
        updated_at: nowMs(this.#ctx.clock),
      })
      .where('action_key', '=', key)
      .execute()
  }

  async listActions(input: {
    readonly taskRunId?: string | undefined
    readonly agentIds?: readonly string[] | undefined
    readonly states?: readonly ProviderActionRow['state'][] | undefined
  }): Promise<ProviderActionRow[]> {
    let query = this.#ctx.db.selectFrom('provider_actions').selectAll()
    if (input.taskRunId !== undefined) query = query.where('task_run_id', '=', input.taskRunId)
    if (input.agentIds !== undefined) {
      if (input.agentIds.length === 0) return []
      query = query.where('agent_id', 'in', input.agentIds)
    }
    if (input.states !== undefined) query = query.where('state', 'in', input.states)
    const rows = await query.orderBy('created_at').execute()
    return rows.map(toAction)
  }

  // ---- reconcile events

  async addEvent(event: Omit<ReconcileEventRow, 'id' | 'at'>): Promise<void> {
    await this.#ctx.db
      .insertInto('reconcile_events')
      .values({
        id: this.#ctx.generateId(),
        task_run_id: event.taskRunId,
        at: nowMs(this.#ctx.clock),
        kind: event.kind,
        agent_id: event.agentId,
        attempt_id: event.attemptId,
        detail: event.detail,
        dry_run: event.dryRun ? 1 : 0,
        applied: event.applied ? 1 : 0,
      })
      .execute()
  }

  async listEvents(taskRunId: string): Promise<ReconcileEventRow[]> {
    const rows = await this.#ctx.db
      .selectFrom('reconcile_events')
      .selectAll()
      .where('task_run_id', '=', taskRunId)
      .orderBy('at')
      .execute()
    return rows.map(toEvent)
  }

  // ---- completion codes

  /** The task's code for this platform: `generate()`d and kept on first use, the same ever after. */
  async completionCode(input: {
    readonly taskName: string
    readonly providerType: string
    readonly generate: () => string
  }): Promise<string> {
    const { db, clock } = this.#ctx
    await db
      .insertInto('completion_codes')
      .values({
        task_name: input.taskName,
        provider_type: input.providerType,
        code: input.generate(),
        created_at: nowMs(clock),
      })
      .onConflict((oc) => oc.columns(['task_name', 'provider_type']).doNothing())
      .execute()
    const row = await db
      .selectFrom('completion_codes')
      .select('code')
      .where('task_name', '=', input.taskName)
      .where('provider_type', '=', input.providerType)
      .executeTakeFirstOrThrow()
    return row.code
  }
}
