import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from './open-database.js'
import { limitStoreGrowth } from './disk-full-fault.js'

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

describe('limitStoreGrowth', () => {
  it('makes a growing write fail with SQLITE_FULL until lifted', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'faust-diskfull-'))
    dirs.push(dataDir)
    await using store = await openDatabase({ dataDir })
    const name = (index: number): string => `${'x'.repeat(3000)}-${String(index)}`
    const grow = (index: number) =>
      store.db
        .insertInto('tasks')
        .values({ id: `t${String(index)}`, name: name(index), task_type: 'static', created_at: 0 })
        .execute()
    const lift = await limitStoreGrowth(store)
    // Several rows of 3 kB cannot fit in the pages the database has.
    const during = await Promise.allSettled([1, 2, 3, 4, 5].map((index) => grow(index)))
    const failed = during.filter((result) => result.status === 'rejected')
    expect(failed.length).toBeGreaterThan(0)
    expect((failed[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_FULL' })
    await lift()
    await grow(6)
    const max = await sql<{ max_page_count: number }>`PRAGMA max_page_count`.execute(store.db)
    expect(max.rows[0]?.max_page_count).toBeGreaterThan(1000)
  })
})
