import type { Selectable } from 'kysely'
import { decodeJson, encodeJson } from './json-column.js'
import type { RepositoryContext } from './repository-context.js'
import { nowMs } from './repository-context.js'
import type { AuditActor, AuditLogTable, AuditOutcome } from './schema.js'

export type { AuditActor, AuditOutcome }

/** One audited operator action (`audit_log`). */
export interface AuditEntry {
  /** Increasing: a feed that sent up to `id` resumes with `after: id`. */
  readonly id: number
  readonly at: number
  readonly actor: AuditActor
  /** Dotted and stable, e.g. `review.approve`, `worker.block`, `run.set` (docs/console.md). */
  readonly action: string
  readonly taskName: string | null
  readonly taskRunId: string | null
  /** The unit, worker or run the action targeted. */
  readonly target: string | null
  readonly detail: Readonly<Record<string, unknown>>
  readonly outcome: AuditOutcome
  readonly error: string | null
}

/** What {@link AuditRepository.record} writes; the time and id are the store's. */
export type NewAuditEntry = Omit<
  AuditEntry,
  'id' | 'at' | 'error' | 'detail' | 'taskName' | 'taskRunId' | 'target'
> & {
  readonly taskName?: string | null | undefined
  readonly taskRunId?: string | null | undefined
  readonly target?: string | null | undefined
  readonly detail?: Readonly<Record<string, unknown>> | undefined
  readonly error?: string | null | undefined
}

/** Which entries {@link AuditRepository.list} returns. */
export interface AuditQuery {
  readonly taskRunId?: string | undefined
  readonly taskName?: string | undefined
  /** Only entries with a larger id. */
  readonly after?: number | undefined
  /** @default 1000 */
  readonly limit?: number | undefined
}

function toEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    taskName: row.task_name,
    taskRunId: row.task_run_id,
    target: row.target,
    detail: decodeJson(row.detail) as Record<string, unknown>,
    outcome: row.outcome,
    error: row.error,
  }
}

/** The operators' audit log: append-only, read oldest first. */
export class AuditRepository {
  readonly #ctx: RepositoryContext

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx
  }

  /** Appends one entry and returns it as stored. */
  async record(entry: NewAuditEntry): Promise<AuditEntry> {
    const row = await this.#ctx.db
      .insertInto('audit_log')
      .values({
        at: nowMs(this.#ctx.clock),
        actor: entry.actor,
        action: entry.action,
        task_name: entry.taskName ?? null,
        task_run_id: entry.taskRunId ?? null,
        target: entry.target ?? null,
        detail: encodeJson(entry.detail ?? {}),
        outcome: entry.outcome,
        error: entry.error ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    return toEntry(row)
  }

  /** Entries matching `query`, oldest first. */
  async list(query: AuditQuery = {}): Promise<AuditEntry[]> {
    let select = this.#ctx.db.selectFrom('audit_log').selectAll()
    if (query.taskRunId !== undefined) select = select.where('task_run_id', '=', query.taskRunId)
    if (query.taskName !== undefined) select = select.where('task_name', '=', query.taskName)
    if (query.after !== undefined) select = select.where('id', '>', query.after)
    const rows = await select
      .orderBy('id')
      .limit(query.limit ?? 1000)
      .execute()
    return rows.map(toEntry)
  }
}
