import { sql } from 'kysely'
import type { Selectable } from 'kysely'
import type { RepositoryContext } from './repository-context.js'
import { inTransaction, nowMs } from './repository-context.js'
import type { QualificationsTable } from './schema.js'
import { StoreError, StoreValueError } from '../util/backend-error.js'

/** A named qualification. */
export interface QualificationRecord {
  readonly id: string
  readonly name: string
  readonly createdAt: number
}

/** A qualification granted to a worker, with its value. */
export interface GrantRecord {
  readonly qualificationId: string
  readonly qualificationName: string
  readonly workerId: string
  readonly workerName: string
  readonly providerType: string
  readonly value: number
  readonly grantedAt: number
}

/** A qualification name and a worker. */
export interface WorkerQualification {
  readonly name: string
  readonly workerId: string
}

function toQualificationRecord(row: Selectable<QualificationsTable>): QualificationRecord {
  return { id: row.id, name: row.name, createdAt: row.created_at }
}

/** Qualifications and their grants to workers (at most one grant per pair). */
export class QualificationsRepository {
  readonly #ctx: RepositoryContext

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx
  }

  /** The qualification with this name, created if missing. */
  async ensure(name: string): Promise<QualificationRecord> {
    const { db, clock, generateId } = this.#ctx
    await db
      .insertInto('qualifications')
      .values({ id: generateId(), name, created_at: nowMs(clock) })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute()
    const qualification = await this.find(name)
    if (qualification === null)
      throw new StoreError('STORE_INCONSISTENT', 'qualification vanished right after its upsert')
    return qualification
  }

  /**
   * The qualification with this name, or `null`. Registration skips a
   * required qualification that does not exist (docs/protocol.md §4.2 step 2).
   */
  async find(name: string): Promise<QualificationRecord | null> {
    const row = await this.#ctx.db
      .selectFrom('qualifications')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst()
    return row === undefined ? null : toQualificationRecord(row)
  }

  /**
   * Which of `names` exist, and the value `workerId` was granted of each (if
   * any), in one query: what a registration checks its requirements against.
   * A worker without a row yet (`null`) has no grants.
   */
  async lookup(
    names: readonly string[],
    workerId: string | null,
  ): Promise<{ known: Set<string>; values: Map<string, number> }> {
    if (names.length === 0) return { known: new Set(), values: new Map() }
    // SQL rather than the builder: on every registration.
    const { rows } = await sql<{ name: string; value: number | null }>`
      select qualifications.name as name, granted_qualifications.value as value
      from qualifications left join granted_qualifications
        on granted_qualifications.qualification_id = qualifications.id
        and granted_qualifications.worker_id = ${workerId}
      where qualifications.name in (${sql.join(names)})`.execute(this.#ctx.db)
    const values = new Map<string, number>()
    for (const row of rows) if (row.value !== null) values.set(row.name, row.value)
    return { known: new Set(rows.map((row) => row.name)), values }
  }

  /** Every qualification, by name. */
  async list(): Promise<QualificationRecord[]> {
    const rows = await this.#ctx.db
      .selectFrom('qualifications')
      .selectAll()
      .orderBy('name')
      .execute()
    return rows.map(toQualificationRecord)
  }

  /**
   * Grants the qualification (created if missing) to the worker with `value`,
   * replacing any earlier grant's value and time.
   */
  async grant(input: WorkerQualification & { readonly value: number }): Promise<GrantRecord> {
    if (!Number.isSafeInteger(input.value)) {
      throw new StoreValueError(`qualification value must be an integer, got ${input.value}`)
    }
    return inTransaction(this.#ctx.db, async (trx) => {
      const repository = new QualificationsRepository({ ...this.#ctx, db: trx })
      const qualification = await repository.ensure(input.name)
      const grantedAt = nowMs(this.#ctx.clock)
      await trx
        .insertInto('granted_qualifications')
        .values({
          qualification_id: qualification.id,
          worker_id: input.workerId,
          value: input.value,
          granted_at: grantedAt,
        })
        .onConflict((oc) =>
          oc
            .columns(['qualification_id', 'worker_id'])
            .doUpdateSet({ value: input.value, granted_at: grantedAt }),
        )
        .execute()
      const grant = await repository.getGrant(input)
      if (grant === null)
        throw new StoreError('STORE_INCONSISTENT', 'grant vanished right after its upsert')
      return grant
    })
  }

  /** Removes the worker's grant; returns whether there was one. */
  async revoke(input: WorkerQualification): Promise<boolean> {
    const result = await this.#ctx.db
      .deleteFrom('granted_qualifications')
      .where('worker_id', '=', input.workerId)
      .where('qualification_id', '=', (eb) =>
        eb.selectFrom('qualifications').select('id').where('name', '=', input.name),
      )
      .executeTakeFirst()
    return result.numDeletedRows === 1n
  }

  /** The worker's grant of this qualification, or `null` if not granted. */
  async getGrant(input: WorkerQualification): Promise<GrantRecord | null> {
    const grant = await this.#grants()
      .where('qualifications.name', '=', input.name)
      .where('granted_qualifications.worker_id', '=', input.workerId)
      .executeTakeFirst()
    return grant ?? null
  }

  /** Every qualification granted to the worker, by qualification name. */
  async listForWorker(workerId: string): Promise<GrantRecord[]> {
    return this.#grants()
      .where('granted_qualifications.worker_id', '=', workerId)
      .orderBy('qualifications.name')
      .execute()
  }

  /** Every grant of the qualification, by worker name. */
  async listForQualification(name: string): Promise<GrantRecord[]> {
    return this.#grants()
      .where('qualifications.name', '=', name)
      .orderBy('workers.worker_name')
      .orderBy('workers.provider_type')
      .execute()
  }

  #grants() {
    return this.#ctx.db
      .selectFrom('granted_qualifications')
      .innerJoin('qualifications', 'qualifications.id', 'granted_qualifications.qualification_id')
      .innerJoin('workers', 'workers.id', 'granted_qualifications.worker_id')
      .select([
        'granted_qualifications.qualification_id as qualificationId',
        'qualifications.name as qualificationName',
        'granted_qualifications.worker_id as workerId',
        'workers.worker_name as workerName',
        'workers.provider_type as providerType',
        'granted_qualifications.value as value',
        'granted_qualifications.granted_at as grantedAt',
      ])
  }
}
