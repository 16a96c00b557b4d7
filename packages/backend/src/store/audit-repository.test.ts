import { describe, expect, it } from 'vitest'
import { STORE_MODES, useTestStore } from '@faust/testing/store'

describe.each(STORE_MODES)('AuditRepository (%s)', (mode) => {
  const { store, setNow, launchedRun } = useTestStore(mode)

  it('appends entries with the store time, in id order, and filters by run, task and cursor', async () => {
    const { runId } = await launchedRun([1])
    const first = await store.audit.record({
      actor: 'console',
      action: 'review.approve',
      taskName: 'label',
      taskRunId: runId,
      target: 'unit-1',
      outcome: 'done',
    })
    expect(first).toEqual({
      id: first.id,
      at: 1_000,
      actor: 'console',
      action: 'review.approve',
      taskName: 'label',
      taskRunId: runId,
      target: 'unit-1',
      detail: {},
      outcome: 'done',
      error: null,
    })
    setNow(2_000)
    const second = await store.audit.record({
      actor: 'cli',
      action: 'worker.block',
      target: 'w-1',
      detail: { reason: 'spam' },
      outcome: 'failed',
      error: 'PROVIDER_UNAVAILABLE',
    })
    expect(second.id).toBeGreaterThan(first.id)
    expect((await store.audit.list()).map((e) => e.action)).toEqual([
      'review.approve',
      'worker.block',
    ])
    expect(await store.audit.list({ taskRunId: runId })).toEqual([first])
    expect(await store.audit.list({ taskName: 'label' })).toEqual([first])
    expect(await store.audit.list({ after: first.id })).toEqual([second])
    expect(await store.audit.list({ limit: 1 })).toEqual([first])
  })

  it('refuses an unknown outcome and a run that does not exist', async () => {
    await expect(
      store.audit.record({ actor: 'cli', action: 'x', outcome: 'maybe' as 'done' }),
    ).rejects.toThrow(/CHECK constraint/)
    await expect(
      store.audit.record({ actor: 'cli', action: 'x', taskRunId: 'nope', outcome: 'done' }),
    ).rejects.toThrow(/FOREIGN KEY/)
  })
})
