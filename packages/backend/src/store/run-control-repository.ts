import type { Selectable } from 'kysely'
import { decodeJson, encodeJson } from './json-column.js'
import type { RepositoryContext } from './repository-context.js'
import { inTransaction, nowMs } from './repository-context.js'
import type {
  AuditActor,
  RunCommandStatus,
  RunCommandsTable,
  RunLaunching,
  RunSettingsTable,
} from './schema.js'

export type { RunCommandStatus, RunLaunching }

/** The limits a live run reads, changeable while it runs (docs/console.md, "Changing a live run"). */
export interface RunSettings {
  /** Units offered or worked on at once; 0 = no limit. */
  readonly maxConcurrentUnits: number
  /** Units one worker may do over every run of the task; 0 = no limit. */
  readonly maximumUnitsPerWorker: number
  /** Units one worker may hold at once; 0 = no limit. */
  readonly allowedConcurrent: number
  /** The time a worker has for a unit started from now on. */
  readonly assignmentDurationSeconds: number
  /** `paused`: no unit launched, new registrations refused (RUN_PAUSED). */
  readonly launching: RunLaunching
}

/** A run's stored settings row. */
export interface StoredRunSettings {
  readonly settings: RunSettings
  /** Grows by one with every change. */
  readonly version: number
  /** Items added to the run after it was created. */
  readonly addedItems: number
  readonly updatedAt: number
}

/** A change asked of a live run by another process (`run_commands`). */
export interface RunCommandRecord {
  readonly id: number
  readonly taskRunId: string
  readonly createdAt: number
  readonly actor: AuditActor
  readonly change: unknown
  readonly status: RunCommandStatus
  readonly result: unknown
  readonly errorCode: string | null
  readonly error: string | null
}

/** How a command ended, as the live run marks it. */
export type RunCommandOutcome =
  | { readonly status: 'applied'; readonly result: unknown }
  | { readonly status: 'failed'; readonly errorCode: string; readonly error: string }

/** A run's lease: who serves it, and when it last said so. */
export interface RunLease {
  readonly holder: string
  readonly refreshedAt: number
}

function toSettings(row: Selectable<RunSettingsTable>): StoredRunSettings {
  return {
    settings: {
      maxConcurrentUnits: row.max_concurrent_units,
      maximumUnitsPerWorker: row.maximum_units_per_worker,
      allowedConcurrent: row.allowed_concurrent,
      assignmentDurationSeconds: row.assignment_duration_seconds,
      launching: row.launching,
    },
    version: row.version,
    addedItems: row.added_items,
    updatedAt: row.updated_at,
  }
}

function toCommand(row: Selectable<RunCommandsTable>): RunCommandRecord {
  return {
    id: row.id,
    taskRunId: row.task_run_id,
    createdAt: row.created_at,
    actor: row.actor,
    change: decodeJson(row.change),
    status: row.status,
    result: row.result === null ? null : decodeJson(row.result),
    errorCode: row.error_code,
    error: row.error,
  }
}

/** Run settings, the command table and the lease of live runs (migration 0010). */
export class RunControlRepository {
  readonly #ctx: RepositoryContext

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx
  }

  /** The run's changed settings, or `null` while it runs with its task's own. */
  async getSettings(taskRunId: string): Promise<StoredRunSettings | null> {
    const row = await this.#ctx.db
      .selectFrom('run_settings')
      .selectAll()
      .where('task_run_id', '=', taskRunId)
      .executeTakeFirst()
    return row === undefined ? null : toSettings(row)
  }

  /** Stores `settings` as the run's (one version more); `addedItems` is added to the count. */
  async saveSettings(
    taskRunId: string,
    settings: RunSettings,
    addedItems = 0,
  ): Promise<StoredRunSettings> {
    return inTransaction(this.#ctx.db, async (trx) => {
      const before = await trx
        .selectFrom('run_settings')
        .select(['version', 'added_items'])
        .where('task_run_id', '=', taskRunId)
        .executeTakeFirst()
      const values = {
        max_concurrent_units: settings.maxConcurrentUnits,
        maximum_units_per_worker: settings.maximumUnitsPerWorker,
        allowed_concurrent: settings.allowedConcurrent,
        assignment_duration_seconds: settings.assignmentDurationSeconds,
        launching: settings.launching,
        updated_at: nowMs(this.#ctx.clock),
        version: (before?.version ?? 0) + 1,
        added_items: (before?.added_items ?? 0) + addedItems,
      }
      const row =
        before === undefined
          ? await trx
              .insertInto('run_settings')
              .values({ task_run_id: taskRunId, ...values })
              .returningAll()
              .executeTakeFirstOrThrow()
          : await trx
              .updateTable('run_settings')
              .set(values)
              .where('task_run_id', '=', taskRunId)
              .returningAll()
              .executeTakeFirstOrThrow()
      return toSettings(row)
    })
  }

  /** Queues a change for the run's live process. */
  async addCommand(input: {
    readonly taskRunId: string
    readonly actor: AuditActor
    readonly change: unknown
  }): Promise<RunCommandRecord> {
    const row = await this.#ctx.db
      .insertInto('run_commands')
      .values({
        task_run_id: input.taskRunId,
        created_at: nowMs(this.#ctx.clock),
        actor: input.actor,
        change: encodeJson(input.change),
        status: 'pending',
        result: null,
        error_code: null,
        error: null,
        done_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    return toCommand(row)
  }

  async getCommand(id: number): Promise<RunCommandRecord | null> {
    const row = await this.#ctx.db
      .selectFrom('run_commands')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row === undefined ? null : toCommand(row)
  }

  /** The run's commands still to apply, oldest first. */
  async pendingCommands(taskRunId: string): Promise<RunCommandRecord[]> {
    const rows = await this.#ctx.db
      .selectFrom('run_commands')
      .selectAll()
      .where('task_run_id', '=', taskRunId)
      .where('status', '=', 'pending')
      .orderBy('id')
      .execute()
    return rows.map(toCommand)
  }

  /**
   * Marks a pending command applied or failed; returns false if it was not
   * pending any more (cancelled by its asker, or already marked).
   */
  async finishCommand(id: number, outcome: RunCommandOutcome): Promise<boolean> {
    const result = await this.#ctx.db
      .updateTable('run_commands')
      .set({
        status: outcome.status,
        result: outcome.status === 'applied' ? encodeJson(outcome.result ?? null) : null,
        error_code: outcome.status === 'failed' ? outcome.errorCode : null,
        error: outcome.status === 'failed' ? outcome.error : null,
        done_at: nowMs(this.#ctx.clock),
      })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst()
    return result.numUpdatedRows === 1n
  }

  /** An asker that stops waiting withdraws its command; false if the run took it already. */
  async cancelCommand(id: number): Promise<boolean> {
    const result = await this.#ctx.db
      .updateTable('run_commands')
      .set({ status: 'cancelled', done_at: nowMs(this.#ctx.clock) })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst()
    return result.numUpdatedRows === 1n
  }

  /** The live run says it still serves the run, at `at` on its own (injected) clock. */
  async refreshLease(taskRunId: string, holder: string, at: number): Promise<void> {
    const refreshedAt = Math.floor(at)
    await this.#ctx.db
      .insertInto('run_leases')
      .values({ task_run_id: taskRunId, holder, refreshed_at: refreshedAt })
      .onConflict((oc) =>
        oc.column('task_run_id').doUpdateSet({ holder, refreshed_at: refreshedAt }),
      )
      .execute()
  }

  async getLease(taskRunId: string): Promise<RunLease | null> {
    const row = await this.#ctx.db
      .selectFrom('run_leases')
      .selectAll()
      .where('task_run_id', '=', taskRunId)
      .executeTakeFirst()
    return row === undefined ? null : { holder: row.holder, refreshedAt: row.refreshed_at }
  }

  /** The live run stops serving the run: a change goes to the store from now on. */
  async releaseLease(taskRunId: string, holder: string): Promise<void> {
    await this.#ctx.db
      .deleteFrom('run_leases')
      .where('task_run_id', '=', taskRunId)
      .where('holder', '=', holder)
      .execute()
  }
}
