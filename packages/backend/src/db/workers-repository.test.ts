import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { systemClock } from '@faust/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from './open-database.js'
import type { Store } from './store.js'

describe.each(['file', 'memory'] as const)('WorkersRepository (%s)', (mode) => {
  let dataDir: string
  let store: Store
  let now: number
  beforeEach(async () => {
    now = 1_000
    dataDir = await mkdtemp(join(tmpdir(), 'faust-db-'))
    const clock = { ...systemClock, now: () => now }
    store = await openDatabase({ dataDir, memory: mode === 'memory', clock })
  })
  afterEach(async () => {
    await store.close()
    await rm(dataDir, { recursive: true, force: true })
  })

  it('finds or creates a worker idempotently, keeping its first creation time', async () => {
    const first = await store.workers.findOrCreate({ providerType: 'mock', workerName: 'w1' })
    now += 10
    const second = await store.workers.findOrCreate({ providerType: 'mock', workerName: 'w1' })
    expect(second).toEqual(first)
    expect(first).toMatchObject({ providerType: 'mock', workerName: 'w1', createdAt: 1_000 })
    expect(await store.workers.list()).toHaveLength(1)
  })

  it('creates exactly one worker when registrations race', async () => {
    const identity = { providerType: 'mock', workerName: 'racer' }
    const workers = await Promise.all(
      Array.from({ length: 20 }, () => store.workers.findOrCreate(identity)),
    )
    expect(new Set(workers.map((worker) => worker.id)).size).toBe(1)
    expect(await store.workers.list()).toHaveLength(1)
  })

  it('keeps the same name apart across providers', async () => {
    const mock = await store.workers.findOrCreate({ providerType: 'mock', workerName: 'w' })
    const prolific = await store.workers.findOrCreate({ providerType: 'prolific', workerName: 'w' })
    expect(mock.id).not.toBe(prolific.id)
    expect(await store.workers.list('prolific')).toEqual([prolific])
    expect(await store.workers.get(mock.id)).toEqual(mock)
    expect(await store.workers.find({ providerType: 'mturk', workerName: 'w' })).toBeNull()
    expect(await store.workers.get('missing')).toBeNull()
  })
})
