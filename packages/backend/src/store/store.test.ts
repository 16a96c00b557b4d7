import { join } from 'node:path'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { BackendErrorCode } from '../util/backend-error.js'
import { STORE_MODES, useTestStore } from '@faust/testing/store'

describe.each(STORE_MODES)('Store (%s)', (mode) => {
  const fixture = useTestStore(mode)
  const { store } = fixture

  it('commits the writes of a transaction together', async () => {
    const grant = await store.transaction(async (tx) => {
      const worker = await tx.workers.findOrCreate({ providerType: 'mock', workerName: 'w' })
      return tx.qualifications.grant({ name: 'q', workerId: worker.id, value: 1 })
    })
    expect(await store.qualifications.listForWorker(grant.workerId)).toEqual([grant])
  })

  it('rolls back every write of a failed transaction, even from nested repository transactions', async () => {
    await expect(
      store.transaction(async (tx) => {
        const worker = await tx.workers.findOrCreate({ providerType: 'mock', workerName: 'w' })
        await tx.qualifications.grant({ name: 'q', workerId: worker.id, value: 1 })
        throw new Error('abort')
      }),
    ).rejects.toThrow('abort')
    expect(await store.workers.list()).toEqual([])
    expect(await store.qualifications.list()).toEqual([])
  })

  it('batched(): writes of one turn share a transaction, settle after it, and fail alone', async () => {
    const events: string[] = []
    const job = (name: string, fail = false) =>
      store
        .batched(async (tx) => {
          events.push(`run ${name}`)
          await tx.workers.findOrCreate({ providerType: 'mock', workerName: name })
          if (fail) throw new Error(`job ${name} failed`)
          return name
        })
        .then(
          (value) => events.push(`done ${value}`),
          (error: unknown) => events.push(String(error)),
        )
    await Promise.all([job('a'), job('b', true), job('c')])
    // Every job ran before any settled: one commit for the three, and no
    // result was handed out before it.
    expect(events).toEqual(['run a', 'run b', 'run c', 'done a', 'Error: job b failed', 'done c'])
    const names = (await store.workers.list()).map((worker) => worker.workerName)
    expect(names.sort()).toEqual(['a', 'c'])
  })

  it('durably() waits for an open group commit instead of failing to change the level inside it', async () => {
    let release: () => void = () => undefined
    const held = new Promise<void>((resolve) => (release = resolve))
    const batch = store.batched(async (tx) => {
      await tx.workers.findOrCreate({ providerType: 'mock', workerName: 'batched' })
      await held
    })
    // Let the batch open its transaction first.
    await new Promise((resolve) => setImmediate(resolve))
    const durable = store.durably(async () => {
      const level = await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db)
      return level.rows[0]?.synchronous
    })
    release()
    await batch
    expect(await durable).toBe(2)
  })

  it('syncs every commit only inside durably(), even when durable writes overlap', async () => {
    const level = async (): Promise<unknown> =>
      (await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db)).rows[0]
        ?.synchronous
    const NORMAL = 1
    const FULL = 2
    expect(await level()).toBe(NORMAL)
    let inner: unknown
    await store.durably(async () => {
      const overlapping = store.durably(async () => level())
      inner = await level()
      expect(await overlapping).toBe(FULL)
      expect(await level()).toBe(FULL)
    })
    expect(inner).toBe(FULL)
    expect(await level()).toBe(NORMAL)
  })

  it('places each run’s files under <dataDir>/runs/<id> and refuses ids that climb out', () => {
    expect(store.runDirectory('abc123')).toBe(join(fixture.dataDir, 'runs', 'abc123'))
    expect(() => store.runDirectory('../etc')).toThrow(RangeError)
    expect(() => store.runDirectory('')).toThrow(RangeError)
    expect(() => store.runDirectory('..')).toThrow(
      expect.objectContaining({ code: BackendErrorCode.STORE_VALUE_INVALID }),
    )
  })

  it('closes harmlessly after a synchronous dispose', async () => {
    store[Symbol.dispose]()
    await expect(store.workers.list()).rejects.toThrow(/not open/)
    await expect(store.close()).resolves.toBeUndefined()
  })

  it('lets queued queries finish before closing', async () => {
    const pending = store.workers.findOrCreate({ providerType: 'mock', workerName: 'late' })
    const closing = store.close()
    await expect(pending).resolves.toMatchObject({ workerName: 'late' })
    await closing
  })
})
