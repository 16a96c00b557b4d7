// Live run changes on a real router and store: pausing refuses new workers
// (not those already on a unit), limits apply at once, items added are
// offered, ending refuses with RUN_ENDED, and a resumed run keeps them.
import { FailureReason } from '@faust/protocol'
import { hold, openHarness } from '@faust/testing/backend'
import { describe, expect, it } from 'vitest'

const FOUR_ITEMS = [1, 2, 3, 4].map((n) => ({ n }))

describe('changing a live run', () => {
  it('pause refuses new registrations with RUN_PAUSED; a worker on a unit keeps it; resume admits again', async () => {
    await using h = await openHarness()
    const s = await h.startRun({ data: FOUR_ITEMS })
    const first = await s.register('w1')
    expect(first.agent_id).not.toBeNull()

    const paused = await s.run.change({ kind: 'pause' }, 'console')
    expect(paused).toMatchObject({ applied: 'live', settings: { launching: 'paused' } })
    expect(await s.register('w2')).toMatchObject({
      agent_id: null,
      failure_reason: FailureReason.RUN_PAUSED,
    })
    // The same page registering again (a reload) gets its own agent back.
    expect((await s.register('w1')).agent_id).toBe(first.agent_id)
    expect((await s.submit(first.agent_id!, { done: true })).status).toBe(200)

    await s.run.change({ kind: 'resume' }, 'console')
    expect((await s.register('w2')).agent_id).not.toBeNull()
    const audit = await h.store.audit.list({ taskRunId: s.runId })
    expect(audit.map((entry) => [entry.actor, entry.action])).toEqual([
      ['console', 'run.pause'],
      ['console', 'run.resume'],
    ])
  })

  it('maxConcurrentUnits changes the launched count at once; lowered, none is taken back', async () => {
    await using h = await openHarness()
    const s = await h.startRun({ data: FOUR_ITEMS, maxConcurrentUnits: 1 })
    expect(await s.run.progress()).toMatchObject({ launched: 1, waiting: 3 })
    const raised = s.progressWhere((progress) => progress.launched === 3)
    await s.run.change({ kind: 'set', setting: 'maxConcurrentUnits', value: 3 }, 'cli')
    await raised
    await s.run.change({ kind: 'set', setting: 'maxConcurrentUnits', value: 1 }, 'cli')
    expect(await s.run.progress()).toMatchObject({ launched: 3, waiting: 1 })
    expect(s.run.settings().maxConcurrentUnits).toBe(1)
  })

  it('a changed duration applies to units started from then on', async () => {
    await using h = await openHarness()
    const s = await h.startRun({ data: FOUR_ITEMS, assignmentDurationSeconds: 600 })
    const before = await s.register('w1')
    await s.run.change({ kind: 'set', setting: 'assignmentDurationSeconds', value: 60 }, 'cli')
    const after = await s.register('w2')
    const now = h.t.clock.now()
    expect((await h.store.agents.get(before.agent_id!))?.deadlineAt).toBe(now + 600_000)
    expect((await h.store.agents.get(after.agent_id!))?.deadlineAt).toBe(now + 60_000)
  })

  it('added items become units a worker is offered', async () => {
    await using h = await openHarness()
    const s = await h.startRun({ data: [{ n: 1 }] })
    expect((await s.register('w1')).init_task_data).toEqual({ n: 1 })
    expect((await s.register('w2')).agent_id).toBeNull()
    const result = await s.run.change({ kind: 'add_items', items: [{ n: 2 }] }, 'cli')
    expect(result.detail).toEqual({ items: 1, units: 1 })
    expect(s.run.units).toHaveLength(2)
    await s.progressWhere((progress) => progress.total === 2 && progress.launched === 1)
    expect((await s.register('w2')).init_task_data).toEqual({ n: 2 })
  })

  it('end stops the run: a registration arriving while it ends is refused with RUN_ENDED', async () => {
    await using h = await openHarness()
    const s = await h.startRun({ data: FOUR_ITEMS })
    await s.register('w1')
    // Held inside stop(), so that a registration lands while the run ends.
    const listing = hold(h.store.agents, 'listForRun')
    const ending = s.run.change({ kind: 'end' }, 'console')
    await listing.entered()
    const refused = await s.register('w2')
    listing.release()
    expect(await ending).toMatchObject({ applied: 'live' })
    expect(refused).toMatchObject({ agent_id: null, failure_reason: FailureReason.RUN_ENDED })
    expect(await s.run.done).toMatchObject({ expired: 4, done: true })
    await expect(s.run.change({ kind: 'pause' }, 'console')).rejects.toMatchObject({
      code: 'RUN_ENDED',
    })
    const audit = await h.store.audit.list({ taskRunId: s.runId })
    expect(audit.map((entry) => [entry.action, entry.outcome])).toEqual([['run.end', 'done']])
  })

  it('a resumed run starts with its changed settings and its added items', async () => {
    await using h = await openHarness()
    const s = await h.startRun({ data: FOUR_ITEMS, maxConcurrentUnits: 1 })
    await s.run.change({ kind: 'set', setting: 'maxConcurrentUnits', value: 2 }, 'cli')
    await s.run.change({ kind: 'add_items', items: [{ n: 5 }] }, 'cli')
    await s.run.change({ kind: 'pause' }, 'cli')
    await s.run.pause()

    const again = await h.startRun({ data: FOUR_ITEMS, maxConcurrentUnits: 1 })
    expect(again.runId).toBe(s.runId)
    expect(again.run.settings()).toMatchObject({ maxConcurrentUnits: 2, launching: 'paused' })
    expect(again.run.units).toHaveLength(5)
    expect((await again.register('w1')).failure_reason).toBe(FailureReason.RUN_PAUSED)
    await again.run.change({ kind: 'resume' }, 'cli')
    expect((await again.register('w1')).agent_id).not.toBeNull()
  })
})
