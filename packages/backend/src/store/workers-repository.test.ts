import { describe, expect, it } from 'vitest'
import { STORE_MODES, useTestStore } from '@faust/testing/store'

describe.each(STORE_MODES)('WorkersRepository (%s)', (mode) => {
  const { store, advance } = useTestStore(mode)

  it('finds or creates a worker idempotently, keeping its first creation time', async () => {
    const first = await store.workers.findOrCreate({ providerType: 'mock', workerName: 'w1' })
    advance(10)
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
