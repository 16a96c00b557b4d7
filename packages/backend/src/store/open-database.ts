import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { systemClock } from '@faust/protocol'
import type { Clock } from '@faust/protocol'
import BetterSqlite3 from 'better-sqlite3'
import { Kysely } from 'kysely'
import { BackgroundCheckpointer } from './background-checkpointer.js'
import { withStatementCache } from './statement-cache.js'
import { ImmediateSqliteDialect } from './immediate-sqlite-dialect.js'
import { migrateToLatest } from './migrate-to-latest.js'
import { randomId } from './random-id.js'
import type { IdGenerator } from './random-id.js'
import type { Database } from './schema.js'
import { Store } from './store.js'
import { StoreError, StoreValueError } from '../util/backend-error.js'

/** The data folder used when none is given, relative to the working directory. */
export const DEFAULT_DATA_DIR = '.faust'

/** WAL pages after which the writing connection checkpoints by itself (about 80 MB). */
const BACKSTOP_CHECKPOINT_PAGES = 20_000

/** The SQLite file's name inside the data folder. */
export const DATABASE_FILE_NAME = 'faust.sqlite'

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /**
   * The folder holding the database and the runs' files; created if missing.
   * @default `.faust` in the working directory
   */
  readonly dataDir?: string | undefined
  /** Source of every timestamp. @default systemClock */
  readonly clock?: Clock | undefined
  /** Source of every row id. @default randomId (128-bit hex) */
  readonly generateId?: IdGenerator | undefined
  /** How long a write waits for another process's lock before failing. @default 5000 */
  readonly busyTimeoutMs?: number | undefined
  /**
   * Keep the database in memory (fast unit tests): nothing is written and
   * `dataDir` is neither created nor used by the store itself.
   * @default false
   */
  readonly memory?: boolean | undefined
}

/**
 * Opens (creating if needed) the Faust database in `dataDir`, in WAL mode with
 * foreign keys enforced, and applies pending migrations.
 *
 * @example
 * await using store = await openDatabase({ dataDir: '.faust' })
 * const worker = await store.workers.findOrCreate({ providerType: 'mock', workerName: 'w1_sandbox' })
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Store> {
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR)
  const memory = options.memory === true
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new StoreValueError(`busyTimeoutMs must be a non-negative integer, got ${busyTimeoutMs}`)
  }
  const databasePath = memory ? ':memory:' : join(dataDir, DATABASE_FILE_NAME)
  if (!memory) await mkdir(dataDir, { recursive: true })

  const sqlite = new BetterSqlite3(databasePath)
  try {
    // busy_timeout first, so that switching to WAL waits for another process.
    sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`)
    if (!memory) {
      // WAL lets `faust results` read while `faust run` writes.
      const mode = sqlite.pragma('journal_mode = WAL', { simple: true })
      if (mode !== 'wal')
        throw new StoreError(
          'DATABASE_NOT_WAL',
          `SQLite refused WAL mode for ${databasePath}: ${String(mode)}`,
        )
    }
    sqlite.pragma('foreign_keys = ON')
    // See Store.durably: registrations commit without an fsync each; submissions sync.
    sqlite.pragma('synchronous = NORMAL')
    // Checkpoints run in the background (BackgroundCheckpointer); this
    // connection checkpoints itself only if the WAL grows far past SQLite's
    // default of 1000 pages, should that thread fall behind.
    if (!memory) sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`)
  } catch (error) {
    sqlite.close()
    throw error
  }

  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }),
  })
  let migrationsApplied: string[]
  try {
    migrationsApplied = await migrateToLatest(db)
  } catch (error) {
    await db.destroy()
    throw error
  }
  return new Store({
    db,
    sqlite,
    checkpointer: memory
      ? null
      : new BackgroundCheckpointer(databasePath, (message) => {
          process.emitWarning(`background WAL checkpoint failed: ${message}`)
        }),
    clock: options.clock ?? systemClock,
    generateId: options.generateId ?? randomId,
    dataDir,
    databasePath,
    migrationsApplied,
  })
}
