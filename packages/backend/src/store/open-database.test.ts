import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { AGENT_STATUSES, systemClock } from '@faust/protocol'
import { Migrator, NO_MIGRATIONS, sql } from 'kysely'
import type { Kysely } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MIGRATIONS, migrationProvider } from './migration-provider.js'
import { DATABASE_FILE_NAME, openDatabase } from './open-database.js'
import { createdUnit, makeTempDir, removeTempDir, reservedAgent } from '@faust/testing/store'
import { UNIT_STATUSES } from './unit-status.js'

let root: string
beforeEach(async () => {
  root = await makeTempDir()
})
afterEach(async () => {
  await removeTempDir(root)
})

async function tableNames(store: Awaited<ReturnType<typeof openDatabase>>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name
  `.execute(store.db)
  return rows.map((row) => row.name)
}

describe('openDatabase', () => {
  it('creates a missing data folder and applies the migrations, recorded by name', async () => {
    const dataDir = join(root, 'nested', '.faust')
    await using store = await openDatabase({ dataDir })
    expect(store.dataDir).toBe(dataDir)
    expect(store.databasePath).toBe(join(dataDir, DATABASE_FILE_NAME))
    expect(store.migrationsApplied).toEqual([
      '0001-initial',
      '0002-launchable-units-index',
      '0003-remote-procedure-calls',
      '0004-live-updates',
      '0005-units-agent-index',
      '0006-submission-key',
      '0007-agent-deadlines',
      '0008-provider-records',
      '0009-audit-log',
      '0011-agent-events',
    ])
    expect(await readdir(dataDir)).toContain(DATABASE_FILE_NAME)
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(
      store.db,
    )
    expect(rows.map((row) => row.name)).toEqual([
      '0001-initial',
      '0002-launchable-units-index',
      '0003-remote-procedure-calls',
      '0004-live-updates',
      '0005-units-agent-index',
      '0006-submission-key',
      '0007-agent-deadlines',
      '0008-provider-records',
      '0009-audit-log',
      '0011-agent-events',
    ])
    expect(await tableNames(store)).toEqual(
      expect.arrayContaining(['tasks', 'task_runs', 'units', 'agents', 'submissions']),
    )
  })

  it('keeps the data and runs no migration again when reopened', async () => {
    const first = await openDatabase({ dataDir: root })
    await first.workers.findOrCreate({ providerType: 'mock', workerName: 'w1_sandbox' })
    await first.close()
    await using second = await openDatabase({ dataDir: root })
    expect(second.migrationsApplied).toEqual([])
    expect((await second.workers.list()).map((w) => w.workerName)).toEqual(['w1_sandbox'])
  })

  it('runs in WAL mode with foreign keys enforced and a busy timeout', async () => {
    await using store = await openDatabase({ dataDir: root, busyTimeoutMs: 1234 })
    const pragma = async (name: string): Promise<unknown> => {
      const { rows } = await sql<Record<string, unknown>>`pragma ${sql.raw(name)}`.execute(store.db)
      return Object.values(rows[0] ?? {})[0]
    }
    expect(await pragma('journal_mode')).toBe('wal')
    expect(await pragma('foreign_keys')).toBe(1)
    expect(await pragma('busy_timeout')).toBe(1234)
  })

  it('keeps an in-memory store off the disk', async () => {
    const dataDir = join(root, 'unused')
    await using store = await openDatabase({ dataDir, memory: true })
    await store.workers.findOrCreate({ providerType: 'mock', workerName: 'w1' })
    expect(store.databasePath).toBe(':memory:')
    expect(await readdir(root)).toEqual([])
  })

  it('refuses an invalid busy timeout', async () => {
    await expect(openDatabase({ dataDir: root, busyTimeoutMs: -1 })).rejects.toThrow(RangeError)
  })

  it('refuses a database that records a migration this code does not know', async () => {
    const first = await openDatabase({ dataDir: root })
    await sql`insert into kysely_migration (name, timestamp) values ('9999-future', 'x')`.execute(
      first.db,
    )
    await first.close()
    await expect(openDatabase({ dataDir: root })).rejects.toThrow(/migration failed/)
  })

  it('applies a migration all or nothing', async () => {
    await using store = await openDatabase({ dataDir: root })
    const broken = {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema.createTable('half_done').addColumn('id', 'text').execute()
        throw new Error('boom')
      },
    }
    const migrator = new Migrator({
      db: store.db,
      // Named to sort after every real migration, so that it is really run
      // (one sorting before an applied migration is refused unrun).
      provider: { getMigrations: () => Promise.resolve({ ...MIGRATIONS, '9999-broken': broken }) },
    })
    const { error, results } = await migrator.migrateToLatest()
    expect(error).toEqual(new Error('boom'))
    expect(results).toEqual([{ migrationName: '9999-broken', direction: 'Up', status: 'Error' }])
    expect(await tableNames(store)).not.toContain('half_done')
  })

  it('migrates down to an empty schema even with rows that reference each other', async () => {
    await using store = await openDatabase({ dataDir: root })
    await reservedAgent(store)
    const migrator = new Migrator({ db: store.db, provider: migrationProvider })
    const { error } = await migrator.migrateTo(NO_MIGRATIONS)
    expect(error).toBeUndefined()
    expect(await tableNames(store)).toEqual(['kysely_migration', 'kysely_migration_lock'])
  })

  it('closes idempotently, and synchronously through Symbol.dispose', async () => {
    const store = await openDatabase({ dataDir: root })
    await Promise.all([store.close(), store.close()])
    await expect(store.workers.list()).rejects.toThrow()
    {
      using disposed = await openDatabase({ dataDir: root, clock: systemClock })
      await disposed.workers.findOrCreate({ providerType: 'mock', workerName: 'w' })
    }
    await using reopened = await openDatabase({ dataDir: root })
    expect(await reopened.workers.list()).toHaveLength(1)
  })
})

describe('background checkpoints', () => {
  it('copies committed writes from the WAL into the database file without a commit doing it', async () => {
    const dataDir = join(root, 'checkpoints')
    const store = await openDatabase({ dataDir })
    try {
      const file = join(dataDir, DATABASE_FILE_NAME)
      const before = (await stat(file)).size
      // Far below the writer's own threshold (20000 pages): only the
      // background thread can move these pages into the file.
      await store.transaction(async (tx) => {
        for (let index = 0; index < 300; index++)
          await tx.workers.findOrCreate({
            providerType: 'mock',
            workerName: `w${'x'.repeat(200)}${index}`,
          })
      })
      const deadline = Date.now() + 5000
      while ((await stat(file)).size === before && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 25))
      expect((await stat(file)).size).toBeGreaterThan(before)
    } finally {
      await store.close()
    }
  })
})

describe('schema constraints', () => {
  it('lists exactly the reference statuses in the CHECK constraints', async () => {
    await using store = await openDatabase({ dataDir: root })
    const { rows } = await sql<{ name: string; sql: string }>`
      select name, sql from sqlite_master where type = 'table'
    `.execute(store.db)
    const checked = (table: string): string[] => {
      const text = rows.find((row) => row.name === table)?.sql ?? ''
      const list = /status in \(([^)]*)\)/.exec(text)?.[1] ?? ''
      return [...list.matchAll(/'([^']*)'/g)].map((match) => match[1] ?? '')
    }
    expect(checked('units')).toEqual(UNIT_STATUSES)
    for (const table of ['agents', 'onboarding_agents', 'agent_status_history']) {
      expect(checked(table)).toEqual(AGENT_STATUSES)
    }
  })

  it('rejects a status outside the reference sets', async () => {
    await using store = await openDatabase({ dataDir: root })
    const unitId = await createdUnit(store)
    await expect(
      sql`update units set status = 'in_progress' where id = ${unitId}`.execute(store.db),
    ).rejects.toThrow(/CHECK constraint failed: units_status/)
    await store.units.launch([unitId])
    const worker = await store.workers.findOrCreate({ providerType: 'mock', workerName: 'w' })
    const reserved = await store.agents.reserveUnit({ unitIds: [unitId], workerId: worker.id })
    const agentId = reserved.ok ? reserved.value.agent.id : ''
    await expect(
      sql`update agents set status = 'in_task' where id = ${agentId}`.execute(store.db),
    ).rejects.toThrow(/CHECK constraint failed: agents_status/)
  })

  it('rejects a launched unit that still names a worker, and an assigned one that names none', async () => {
    await using store = await openDatabase({ dataDir: root })
    const unitId = await createdUnit(store)
    await expect(
      sql`update units set status = 'assigned' where id = ${unitId}`.execute(store.db),
    ).rejects.toThrow(/units_held_when_assigned/)
    const worker = await store.workers.findOrCreate({ providerType: 'mock', workerName: 'w' })
    await expect(
      sql`update units set worker_id = ${worker.id} where id = ${unitId}`.execute(store.db),
    ).rejects.toThrow(/units_unheld_when_open/)
  })

  it('rejects a float timestamp in a STRICT integer column', async () => {
    await using store = await openDatabase({ dataDir: root })
    await expect(
      sql`insert into tasks (id, name, task_type, created_at) values ('x', 'n', 't', 1.5)`.execute(
        store.db,
      ),
    ).rejects.toThrow(/cannot store REAL value in INTEGER column/)
  })
})
