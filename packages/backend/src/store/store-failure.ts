/**
 * Naming a failed write. better-sqlite3 throws a `SqliteError` whose `code` is
 * SQLite's extended result code by name (`SQLITE_FULL`, `SQLITE_READONLY`,
 * `SQLITE_IOERR_WRITE`, `SQLITE_BUSY`, …): that name, not the message, is what
 * an operator needs to see when a submission could not be stored.
 */
export function sqliteCodeOf(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : null
}

/**
 * Whether `error` is SQLite refusing to end a transaction (or savepoint) that
 * is already gone. After SQLITE_FULL, SQLITE_IOERR, SQLITE_BUSY or
 * SQLITE_NOMEM, SQLite may roll the whole transaction back by itself; the
 * rollback that follows then fails with "cannot rollback - no transaction is
 * active" (or "no such savepoint"), and must not replace the real error.
 */
export function isTransactionGone(error: unknown): boolean {
  if (sqliteCodeOf(error) !== 'SQLITE_ERROR' || !(error instanceof Error)) return false
  return /no transaction is active|no such savepoint/.test(error.message)
}

/** A one-line description of a failed write: the SQLite code first, if there is one. */
export function describeStoreFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const code = sqliteCodeOf(error)
  return code === null ? message : `${code}: ${message}`
}

/**
 * Failures that pass on their own: the disk fills and is freed, another
 * process holds the lock, the device hiccups. A constraint or a bug is not
 * one of them, and is never retried.
 */
export function isTransientStoreFailure(error: unknown): boolean {
  const code = sqliteCodeOf(error)
  if (code === null) return false
  return (
    code === 'SQLITE_FULL' ||
    code.startsWith('SQLITE_BUSY') ||
    code.startsWith('SQLITE_IOERR') ||
    code.startsWith('SQLITE_LOCKED')
  )
}
