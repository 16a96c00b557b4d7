import { describe, expect, it } from 'vitest'
import { STORE_MODES, useTestStore } from '@faust/testing/store'

describe.each(STORE_MODES)('UnitsRepository (%s)', (mode) => {
  const { store, advance, launchedRun, worker } = useTestStore(mode)

  async function take(unitId: string, workerId: string): Promise<string> {
    const reserved = await store.agents.reserveUnit({ unitIds: [unitId], workerId })
    if (!reserved.ok) throw new Error(`unit ${unitId} was not free`)
    return reserved.value.agent.id
  }

  it('launches only `created` units', async () => {
    const created = await store.taskRuns.create({
      task: { name: 't', taskType: 'static' },
      providerType: 'mock',
      config: {},
      assignments: [{ sharedData: {}, units: [{ pay: 1 }, { pay: 1 }] }],
    })
    const [a, b] = created.ok ? created.value.assignments[0]!.units : []
    expect(await store.units.launch([a!.id])).toBe(1)
    expect(await store.units.launch([a!.id, b!.id])).toBe(1)
    expect(await store.units.launch([])).toBe(0)
    expect((await store.units.get(a!.id))?.status).toBe('launched')
  })

  // SQLite names at most 32,766 variables in one statement: a run bigger than
  // that once launched (and expired) nothing at all.
  it('launches and expires more units than one statement may name', async () => {
    const count = 33_000
    const created = await store.taskRuns.create({
      task: { name: 'big', taskType: 'static' },
      providerType: 'mock',
      config: {},
      assignments: Array.from({ length: count }, () => ({ sharedData: {}, units: [{ pay: 1 }] })),
    })
    const ids = created.ok ? created.value.assignments.flatMap((a) => a.units.map((u) => u.id)) : []
    expect(ids).toHaveLength(count)
    expect(await store.units.launch(ids)).toBe(count)
    expect(await store.units.expire(ids)).toBe(count)
    expect((await store.units.get(ids.at(-1)!))?.status).toBe('expired')
  })

  it('lists launchable units in creation order, minus assignments the worker holds and negative indexes', async () => {
    const { runId, assignments } = await launchedRun([2, 2])
    const [a0, a1] = assignments.map((a) => a.units.map((unit) => unit.id))
    advance(1)
    const unlaunched = await store.assignments.create(runId, [
      { sharedData: {}, units: [{ pay: 1 }] },
    ])
    const screening = await store.assignments.create(
      runId,
      [{ sharedData: {}, units: [{ pay: 1, unitIndex: -1 }] }],
      { launch: true },
    )
    const w1 = await worker('w1')
    const w2 = await worker('w2')
    const agent = await take(a0![0]!, w1)

    const ids = async (workerId: string): Promise<string[]> =>
      (await store.units.listLaunchable({ taskRunId: runId, workerId })).map((unit) => unit.id)
    expect(await ids(w1)).toEqual(a1)
    expect(await ids(w2)).toEqual([a0![1], ...a1!])
    expect(await ids(w2)).not.toContain(unlaunched[0]!.units[0]!.id)
    expect(await ids(w2)).not.toContain(screening[0]!.units[0]!.id)
    const firstTwo = await store.units.listLaunchable({ taskRunId: runId, workerId: w2, limit: 2 })
    expect(firstTwo.map((unit) => unit.id)).toEqual([a0![1], a1![0]])

    // A worker detached from the unit may come back to the assignment...
    expect(await store.units.release({ unitId: a0![0]!, agentId: agent })).toBe(true)
    expect(await ids(w1)).toEqual([...a0!, ...a1!])
    // ...but not once it has finished work in it.
    const again = await take(a0![0]!, w1)
    await store.agents.setStatus(again, 'completed')
    expect(await ids(w1)).toEqual(a1)
  })

  it('counts assigned units in the run and finished units across every run of the task', async () => {
    const r1 = await launchedRun([1, 1, 1], 'task')
    const r2 = await launchedRun([1, 1, 1], 'task')
    const other = await launchedRun([1], 'other-task')
    const unit = (run: typeof r1, i: number): string => run.assignments[i]!.units[0]!.id
    const w1 = await worker('w1')
    const w2 = await worker('w2')

    await store.agents.setStatus(await take(unit(r1, 0), w1), 'completed')
    await take(unit(r1, 1), w1)
    await store.agents.setStatus(await take(unit(r2, 0), w1), 'rejected')
    await store.agents.setStatus(await take(unit(r2, 1), w1), 'soft_rejected')
    await take(unit(r2, 2), w1)
    await store.agents.setStatus(await take(unit(other, 0), w1), 'approved')
    const expiredAgent = await take(unit(r1, 2), w1)
    await store.units.expire([unit(r1, 2)])
    await store.agents.setStatus(expiredAgent, 'expired')

    expect(await store.units.countForWorker({ taskRunId: r1.runId, workerId: w1 })).toEqual({
      assignedInRun: 1,
      finishedInTask: 3,
    })
    expect(await store.units.countForWorker({ taskRunId: r2.runId, workerId: w1 })).toEqual({
      assignedInRun: 1,
      finishedInTask: 3,
    })
    expect(await store.units.countForWorker({ taskRunId: other.runId, workerId: w1 })).toEqual({
      assignedInRun: 0,
      finishedInTask: 1,
    })
    expect(await store.units.countForWorker({ taskRunId: r1.runId, workerId: w2 })).toEqual({
      assignedInRun: 0,
      finishedInTask: 0,
    })
  })

  it('releases a unit only for the agent holding it', async () => {
    const { assignments } = await launchedRun([1])
    const unitId = assignments[0]!.units[0]!.id
    const first = await take(unitId, await worker('w1'))
    expect(await store.units.release({ unitId, agentId: first })).toBe(true)
    const second = await take(unitId, await worker('w2'))
    expect(await store.units.release({ unitId, agentId: first })).toBe(false)
    expect(await store.units.get(unitId)).toMatchObject({ status: 'assigned', agentId: second })
  })

  it('expires open units, never finished ones, and an expired unit stays expired', async () => {
    const { runId, assignments } = await launchedRun([1, 1, 1])
    const [done, held, open] = assignments.map((a) => a.units[0]!.id)
    await store.agents.setStatus(await take(done!, await worker('w1')), 'completed')
    const holder = await take(held!, await worker('w2'))
    expect(await store.units.expire([done!, held!])).toBe(1)
    await store.agents.setStatus(holder, 'completed')
    expect((await store.units.get(held!))?.status).toBe('expired')
    expect(await store.units.expireUnclaimed(runId)).toBe(1)
    expect((await store.units.get(open!))?.status).toBe('expired')
    expect(await store.units.expire([])).toBe(0)
  })

  it('summarizes a run with a count for every status', async () => {
    const { runId, assignments } = await launchedRun([2, 1])
    const w1 = await worker('w1')
    await store.agents.setStatus(await take(assignments[0]!.units[0]!.id, w1), 'completed')
    await take(assignments[1]!.units[0]!.id, w1)
    expect(await store.units.summarize(runId)).toEqual({
      created: 0,
      launched: 1,
      assigned: 1,
      completed: 1,
      accepted: 0,
      mixed: 0,
      rejected: 0,
      soft_rejected: 0,
      expired: 0,
    })
    expect(await store.units.list({ taskRunId: runId, statuses: ['launched'] })).toHaveLength(1)
    expect(await store.units.list({ taskRunId: runId, limit: 2 })).toHaveLength(2)
  })
})
