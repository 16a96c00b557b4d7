import { CompiledQuery, SqliteAdapter, SqliteDialect, SqliteDriver } from 'kysely'
import type { DatabaseConnection, DialectAdapter, Driver } from 'kysely'
import { isTransactionGone } from './store-failure.js'

/**
 * A SQLite driver whose transactions start with `BEGIN IMMEDIATE`. A plain
 * (deferred) `BEGIN` takes the write lock only at the first write, and when
 * another process (`faust qualify` beside `faust run`) holds it, that upgrade
 * fails with SQLITE_BUSY at once instead of honouring `busy_timeout`.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }

  /**
   * Kysely rolls back when a transaction's callback throws, and throws the
   * rollback's own error if that fails. After SQLITE_FULL or SQLITE_IOERR,
   * SQLite may already have rolled back, and "cannot rollback - no
   * transaction is active" then hid the real error: there is nothing left to
   * roll back, so the callback's error is the one that goes on.
   */
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await super.rollbackTransaction(connection)
    } catch (error) {
      if (!isTransactionGone(error)) throw error
    }
  }
}

/**
 * SQLite does run DDL in transactions; Kysely's adapter says it does not, which
 * would make the migrator run migrations outside one. Saying so makes a
 * migration all-or-nothing, and makes two processes opening a fresh folder
 * at once take turns (the write lock) instead of both creating the tables.
 */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true
  }
}

/**
 * Kysely's better-sqlite3 dialect with write-locking (`BEGIN IMMEDIATE`)
 * transactions and transactional migrations.
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0]

  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config)
    this.#config = config
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config)
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter()
  }
}
