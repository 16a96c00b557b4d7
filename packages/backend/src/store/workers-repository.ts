import type { RepositoryContext } from './repository-context.js'
import { nowMs } from './repository-context.js'
import type { WorkersTable } from './schema.js'
import { sql } from 'kysely'
import type { Selectable } from 'kysely'
import { StoreError } from '../util/backend-error.js'

/** A crowd worker as one provider names it. */
export interface WorkerRecord {
  readonly id: string
  readonly providerType: string
  readonly workerName: string
  readonly createdAt: number
}

/** How a worker is identified by its provider (docs/protocol.md §4.2 step 1). */
export interface WorkerIdentity {
  readonly providerType: string
  /** The stored name, including any `_sandbox` suffix the provider adds. */
  readonly workerName: string
}

function toWorkerRecord(row: Selectable<WorkersTable>): WorkerRecord {
  return {
    id: row.id,
    providerType: row.provider_type,
    workerName: row.worker_name,
    createdAt: row.created_at,
  }
}

/** Workers, unique per (provider type, worker name). */
export class WorkersRepository {
  readonly #ctx: RepositoryContext

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx
  }

  /**
   * The worker with this identity, created if missing. Idempotent even when
   * two registrations race: the insert yields to the unique constraint.
   */
  async findOrCreate(identity: WorkerIdentity): Promise<WorkerRecord> {
    const { db, clock, generateId } = this.#ctx
    await db
      .insertInto('workers')
      .values({
        id: generateId(),
        provider_type: identity.providerType,
        worker_name: identity.workerName,
        created_at: nowMs(clock),
      })
      .onConflict((oc) => oc.columns(['provider_type', 'worker_name']).doNothing())
      .execute()
    const worker = await this.find(identity)
    if (worker === null)
      throw new StoreError('STORE_INCONSISTENT', 'worker vanished right after its upsert')
    return worker
  }

  /** The worker with this identity, or `null`. */
  async find(identity: WorkerIdentity): Promise<WorkerRecord | null> {
    // SQL rather than the builder: on every registration.
    const {
      rows: [row],
    } = await sql<Selectable<WorkersTable>>`
      select * from workers
      where provider_type = ${identity.providerType} and worker_name = ${identity.workerName}`.execute(
      this.#ctx.db,
    )
    return row === undefined ? null : toWorkerRecord(row)
  }

  /** The worker with this id, or `null`. */
  async get(id: string): Promise<WorkerRecord | null> {
    const row = await this.#ctx.db
      .selectFrom('workers')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row === undefined ? null : toWorkerRecord(row)
  }

  /** Every worker, oldest first; `providerType` narrows to one provider. */
  async list(providerType?: string): Promise<WorkerRecord[]> {
    let query = this.#ctx.db.selectFrom('workers').selectAll()
    if (providerType !== undefined) query = query.where('provider_type', '=', providerType)
    const rows = await query.orderBy('created_at').orderBy('worker_name').execute()
    return rows.map(toWorkerRecord)
  }
}
