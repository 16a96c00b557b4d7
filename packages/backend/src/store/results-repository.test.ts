import { describe, expect, it } from 'vitest'
import { STORE_MODES, useTestStore } from '@faust/testing/store'

describe.each(STORE_MODES)('ResultsRepository (%s)', (mode) => {
  const { store, advance } = useTestStore(mode)

  /** Creates a one-unit run of `taskName` and has `workerName` submit `data` to it. */
  async function submitted(
    taskName: string,
    workerName: string,
    data: unknown,
  ): Promise<{ runId: string; agentId: string }> {
    const run = await store.taskRuns.create({
      task: { name: taskName, taskType: 'static' },
      providerType: 'mock',
      config: {},
      assignments: [
        { sharedData: { item: workerName }, units: [{ pay: 2.5, unitData: { u: 0 } }] },
      ],
    })
    if (!run.ok) throw new Error('expected a run')
    const unitId = run.value.assignments[0]!.units[0]!.id
    await store.units.launch([unitId])
    const worker = await store.workers.findOrCreate({ providerType: 'mock', workerName })
    const reserved = await store.agents.reserveUnit({ unitIds: [unitId], workerId: worker.id })
    if (!reserved.ok) throw new Error('expected a reservation')
    const agentId = reserved.value.agent.id
    advance(10)
    await store.submissions.store({
      agentId,
      data,
      files: [
        {
          fieldName: 'f',
          originalName: 'a.txt',
          storedPath: 'runs/x/a.txt',
          mimetype: 'text/plain',
          sizeBytes: 3,
        },
      ],
    })
    await store.agents.setStatus(agentId, 'completed')
    return { runId: run.value.run.id, agentId }
  }

  it('exports a task’s submissions joined with worker, unit and assignment data', async () => {
    const first = await submitted('task', 'alice', { answer: 'yes' })
    const second = await submitted('task', 'bob', { answer: 'no' })
    await submitted('other-task', 'carol', { answer: 'maybe' })
    await store.agents.setStatus(second.agentId, 'approved')

    const rows = await store.results.exportSubmissions({ taskName: 'task' })
    expect(rows).toHaveLength(2)
    expect(rows[0]).toMatchObject({
      taskName: 'task',
      taskType: 'static',
      taskRunId: first.runId,
      sharedData: { item: 'alice' },
      unitIndex: 0,
      unitData: { u: 0 },
      pay: 2.5,
      unitStatus: 'completed',
      agentId: first.agentId,
      agentStatus: 'completed',
      workerName: 'alice',
      providerType: 'mock',
      data: { answer: 'yes' },
      submittedAt: 1_010,
    })
    expect(rows[0]?.files.map((file) => file.originalName)).toEqual(['a.txt'])
    expect(rows[1]).toMatchObject({ workerName: 'bob', unitStatus: 'accepted' })

    const byRun = await store.results.exportSubmissions({
      taskName: 'task',
      taskRunId: second.runId,
    })
    expect(byRun.map((row) => row.workerName)).toEqual(['bob'])
    const awaitingReview = await store.results.exportSubmissions({
      taskName: 'task',
      agentStatuses: ['completed'],
    })
    expect(awaitingReview.map((row) => row.workerName)).toEqual(['alice'])
    expect(await store.results.exportSubmissions({ taskName: 'missing' })).toEqual([])
  })
})
