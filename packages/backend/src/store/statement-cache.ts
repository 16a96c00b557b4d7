import type { SqliteDatabase, SqliteStatement } from 'kysely'

/**
 * Wraps a better-sqlite3 database so that each distinct SQL text is prepared
 * once. Kysely prepares every query anew, which costs as much as running it
 * for the small queries of a registration; the statements Faust issues are a
 * few dozen distinct texts, bounded by `maxStatements` all the same.
 */
export function withStatementCache(database: SqliteDatabase, maxStatements = 500): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>()
  return {
    close: () => {
      cache.clear()
      database.close()
    },
    prepare: (sql: string) => {
      let statement = cache.get(sql)
      if (statement === undefined) {
        statement = database.prepare(sql)
        // DDL must not be cached: a statement prepared before a schema change
        // would be re-prepared by SQLite anyway, and migrations run once.
        if (cache.size < maxStatements && !/^\s*(create|drop|alter|pragma)\b/i.test(sql))
          cache.set(sql, statement)
      }
      return statement
    },
  }
}
