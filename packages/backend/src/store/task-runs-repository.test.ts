import { describe, expect, it } from 'vitest'
import type { NewAssignment } from './assignments-repository.js'
import { STORE_MODES, useTestStore } from '@faust/testing/store'

function grid(assignments: number, units: number): NewAssignment[] {
  return Array.from({ length: assignments }, (_, a) => ({
    sharedData: { text: `item ${a}` },
    units: Array.from({ length: units }, (_, u) => ({ pay: 0.5, unitData: { role: u } })),
  }))
}

describe.each(STORE_MODES)('TaskRunsRepository (%s)', (mode) => {
  const { store, setNow } = useTestStore(mode)

  it('creates a run with N assignments x K units, every unit `created`', async () => {
    const created = await store.taskRuns.create({
      task: { name: 'label-images', taskType: 'static_react_task' },
      providerType: 'mock',
      config: { blueprint: { type: 'static_react_task' } },
      assignments: grid(3, 2),
    })
    if (!created.ok) throw new Error('expected a run')
    const { task, run, assignments } = created.value
    expect(task).toMatchObject({ name: 'label-images', taskType: 'static_react_task' })
    expect(run).toMatchObject({ taskId: task.id, providerType: 'mock', endedAt: null })
    expect(run.config).toEqual({ blueprint: { type: 'static_react_task' } })
    expect(assignments).toHaveLength(3)
    const units = await store.units.list({ taskRunId: run.id })
    expect(units).toHaveLength(6)
    expect(units.every((unit) => unit.status === 'created' && unit.workerId === null)).toBe(true)
    expect(units.map((unit) => unit.unitIndex)).toEqual([0, 1, 0, 1, 0, 1])
    const second = await store.assignments.getWithUnits(assignments[1]!.id)
    expect(second?.sharedData).toEqual({ text: 'item 1' })
    expect(second?.units.map((unit) => unit.unitData)).toEqual([{ role: 0 }, { role: 1 }])
    expect(second?.units.map((unit) => unit.pay)).toEqual([0.5, 0.5])
  })

  it('reuses the task across runs and refuses a task name reused with another type', async () => {
    const task = { name: 'survey', taskType: 'static_html_task' }
    const a = await store.taskRuns.create({ task, providerType: 'mock', config: {} })
    const b = await store.taskRuns.create({ task, providerType: 'mock', config: {} })
    expect(a.ok && b.ok && a.value.task.id === b.value.task.id).toBe(true)
    const clash = await store.taskRuns.create({
      task: { name: 'survey', taskType: 'parlai_chat' },
      providerType: 'mock',
      config: {},
    })
    expect(clash).toMatchObject({ ok: false, error: { code: 'TASK_TYPE_MISMATCH' } })
    const taskId = a.ok ? a.value.task.id : ''
    expect(await store.taskRuns.list(taskId)).toHaveLength(2)
    expect(await store.tasks.list()).toHaveLength(1)
  })

  it('creates nothing at all when one unit of the run is invalid', async () => {
    const duplicateIndex: NewAssignment = {
      sharedData: {},
      units: [
        { pay: 1, unitIndex: 0 },
        { pay: 1, unitIndex: 0 },
      ],
    }
    await expect(
      store.taskRuns.create({
        task: { name: 't', taskType: 'static' },
        providerType: 'mock',
        config: {},
        assignments: [...grid(2, 1), duplicateIndex],
      }),
    ).rejects.toThrow(/UNIQUE constraint failed/)
    expect(await store.tasks.list()).toEqual([])
    expect(await store.taskRuns.list()).toEqual([])
  })

  it('refuses a negative or non-finite pay and a fractional unit index', async () => {
    const run = await store.taskRuns.create({
      task: { name: 't', taskType: 'static' },
      providerType: 'mock',
      config: {},
    })
    const runId = run.ok ? run.value.run.id : ''
    await expect(
      store.assignments.create(runId, [{ sharedData: {}, units: [{ pay: -1 }] }]),
    ).rejects.toThrow(RangeError)
    await expect(
      store.assignments.create(runId, [{ sharedData: {}, units: [{ pay: Number.NaN }] }]),
    ).rejects.toThrow(RangeError)
    await expect(
      store.assignments.create(runId, [{ sharedData: {}, units: [{ pay: 1, unitIndex: 0.5 }] }]),
    ).rejects.toThrow(RangeError)
  })

  it('adds launched screening units with a negative index', async () => {
    const run = await store.taskRuns.create({
      task: { name: 't', taskType: 'static' },
      providerType: 'mock',
      config: {},
    })
    const runId = run.ok ? run.value.run.id : ''
    const [screening] = await store.assignments.create(
      runId,
      [{ sharedData: { screen: true }, units: [{ pay: 0, unitIndex: -1 }] }],
      { launch: true },
    )
    expect(screening?.units[0]).toMatchObject({ unitIndex: -1, status: 'launched' })
    expect(await store.assignments.listForRun(runId)).toHaveLength(1)
  })

  it('records the end of a run once', async () => {
    const run = await store.taskRuns.create({
      task: { name: 't', taskType: 'static' },
      providerType: 'mock',
      config: {},
    })
    const runId = run.ok ? run.value.run.id : ''
    setNow(5_000)
    expect(await store.taskRuns.end(runId)).toBe(true)
    setNow(6_000)
    expect(await store.taskRuns.end(runId)).toBe(false)
    expect((await store.taskRuns.get(runId))?.endedAt).toBe(5_000)
    expect(await store.taskRuns.get('missing')).toBeNull()
  })
})
