import type { Clock } from '@faust/protocol'
import type { Kysely, Transaction } from 'kysely'
import type { IdGenerator } from './random-id.js'
import type { Database } from './schema.js'

/** What every repository is built from: a connection (or transaction), a clock and ids. */
export interface RepositoryContext {
  readonly db: Kysely<Database>
  readonly clock: Clock
  readonly generateId: IdGenerator
}

/** The current time as whole milliseconds, as the STRICT INTEGER columns require. */
export function nowMs(clock: Clock): number {
  return Math.floor(clock.now())
}

/**
 * Runs `fn` in a transaction, joining the caller's if `db` already is one:
 * Kysely refuses nested `transaction()` calls, and repositories built inside
 * `Store.transaction` must compose.
 */
export async function inTransaction<TResult>(
  db: Kysely<Database>,
  fn: (trx: Kysely<Database>) => Promise<TResult>,
): Promise<TResult> {
  if (db.isTransaction) return fn(db)
  return db.transaction().execute((trx: Transaction<Database>) => fn(trx))
}
