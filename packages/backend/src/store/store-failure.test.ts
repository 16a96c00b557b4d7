import { sql } from 'kysely'
import { beforeEach, describe, expect, it } from 'vitest'
import { reservedAgent, useTestStore } from '@faust/testing/store'
import type { Store } from './store.js'
import { describeStoreFailure, isTransactionGone, sqliteCodeOf } from './store-failure.js'

/** Big enough to need new pages, so a database held at its size is full. */
const BIG = 'x'.repeat(64 * 1024)

/** Makes SQLite itself report a full disk: the database may not grow past its size now. */
async function fillDisk(store: Store): Promise<void> {
  const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(store.db)
  await sql.raw(`pragma max_page_count = ${String(rows[0]?.page_count ?? 0)}`).execute(store.db)
}

async function freeDisk(store: Store): Promise<void> {
  await sql`pragma max_page_count = 1073741823`.execute(store.db)
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the write to fail')
}

describe('store failures on a full disk (real SQLITE_FULL)', () => {
  const { store } = useTestStore('file')
  let agentId: string
  beforeEach(async () => {
    ;({ agentId } = await reservedAgent(store))
  })

  it('a submission fails with SQLITE_FULL by name, not a rollback error, and succeeds once there is room', async () => {
    await fillDisk(store)
    const error = await failure(store.submissions.store({ agentId, data: { text: BIG } }))
    expect(sqliteCodeOf(error)).toBe('SQLITE_FULL')
    expect(describeStoreFailure(error)).toMatch(/^SQLITE_FULL: /)
    expect(await store.submissions.get(agentId)).toBeNull()
    await freeDisk(store)
    const stored = await store.submissions.store({
      agentId,
      data: { text: BIG },
      submissionKey: 'k1',
    })
    expect(stored.ok).toBe(true)
    expect((await store.submissions.get(agentId))?.submissionKey).toBe('k1')
  })

  it('a batched job fails with SQLITE_FULL, never "cannot rollback", and the batch can run again', async () => {
    await fillDisk(store)
    const write = (tx: Parameters<Parameters<Store['batched']>[0]>[0]) =>
      tx.logs.addErrorLog(null, { text: BIG })
    const errors = await Promise.all([
      failure(store.batched(write)),
      failure(store.durably(() => store.batched(write))),
    ])
    for (const error of errors) {
      expect(sqliteCodeOf(error)).toBe('SQLITE_FULL')
      expect(isTransactionGone(error)).toBe(false)
    }
    expect(await store.logs.listErrorLogs()).toEqual([])
    await freeDisk(store)
    await store.batched(write)
    expect(await store.logs.listErrorLogs()).toHaveLength(1)
  })
})

describe('naming store failures', () => {
  it('reads the SQLite code of an error, and nothing from others', () => {
    expect(
      sqliteCodeOf(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' })),
    ).toBe('SQLITE_IOERR_WRITE')
    expect(sqliteCodeOf(Object.assign(new Error('x'), { code: 'ENOSPC' }))).toBeNull()
    expect(sqliteCodeOf('SQLITE_FULL')).toBeNull()
    expect(describeStoreFailure(new Error('plain'))).toBe('plain')
  })

  it('recognises SQLite refusing to end a transaction that is already gone', () => {
    const gone = Object.assign(new Error('cannot rollback - no transaction is active'), {
      code: 'SQLITE_ERROR',
    })
    expect(isTransactionGone(gone)).toBe(true)
    expect(
      isTransactionGone(Object.assign(new Error('no such table: x'), { code: 'SQLITE_ERROR' })),
    ).toBe(false)
  })
})
