import { Migrator } from 'kysely'
import type { Kysely } from 'kysely'
import { migrationProvider } from './migration-provider.js'
import type { Database } from './schema.js'
import { StoreError } from '../util/backend-error.js'

/**
 * Applies every pending migration in order, each in its own transaction,
 * recording them in Kysely's `kysely_migration` table. Returns the names it
 * applied (empty when the database was current). A database that records a
 * migration this code does not know (written by a newer Faust) is refused.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider })
  const { error, results = [] } = await migrator.migrateToLatest()
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error')
    const which = failed === undefined ? '' : ` at ${failed.migrationName}`
    throw new StoreError('MIGRATION_FAILED', `Faust database migration failed${which}`, {
      cause: error,
    })
  }
  return results
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName)
}
