// Simultaneous registrations over the real router and one SQLite file.
import { describe, expect, it } from 'vitest'
import { FailureReason } from '@faust/protocol'
import { UnitStatus } from '@faust/backend/store'
import { openHarness } from '@faust/testing/backend'

describe('simultaneous registrations', () => {
  it('gives 10 units to exactly 10 of 30 workers registering at once', async () => {
    await using h = await openHarness()
    const data = Array.from({ length: 10 }, (_, index) => ({ index }))
    const s = await h.startRun({ data })
    const workers = Array.from({ length: 30 }, (_, index) => `w${String(index)}`)
    const answers = await Promise.all(workers.map((worker) => s.register(worker)))

    const admitted = answers.filter((answer) => answer.agent_id !== null)
    const refused = answers.filter((answer) => answer.agent_id === null)
    expect(admitted).toHaveLength(10)
    expect(refused).toHaveLength(20)
    for (const answer of refused) {
      expect(answer.failure_reason).toBe(FailureReason.NO_AVAILABLE_UNITS)
      expect(answer.worker_id).toEqual(expect.any(String))
    }
    // Every item went to exactly one worker.
    expect(
      admitted
        .map((answer) => (answer.init_task_data as { index: number }).index)
        .sort((a, b) => a - b),
    ).toEqual(data.map((item) => item.index))

    const agents = await h.store.agents.listForRun(s.runId)
    expect(agents).toHaveLength(10)
    expect(new Set(agents.map((agent) => agent.unitId)).size).toBe(10)
    expect(new Set(agents.map((agent) => agent.workerId)).size).toBe(10)
    expect(new Set(agents.map((agent) => agent.id))).toEqual(
      new Set(admitted.map((answer) => answer.agent_id)),
    )
    const units = await h.store.units.list({ taskRunId: s.runId })
    expect(units.every((unit) => unit.status === UnitStatus.ASSIGNED)).toBe(true)
    for (const agent of agents) {
      const unit = units.find((candidate) => candidate.id === agent.unitId)
      expect(unit).toMatchObject({ agentId: agent.id, workerId: agent.workerId })
    }
    expect(await h.store.workers.list()).toHaveLength(30)
    expect(h.logger.errors()).toEqual([])
  })

  it('gives a worker racing itself on two pages one unit when allowedConcurrent is 1', async () => {
    await using h = await openHarness()
    const s = await h.startRun({ allowedConcurrent: 1 })
    const answers = await Promise.all([s.register('w1', 'page1'), s.register('w1', 'page2')])
    expect(answers.filter((answer) => answer.agent_id !== null)).toHaveLength(1)
    expect(answers.map((answer) => answer.failure_reason)).toContain(
      FailureReason.TOO_MANY_CONCURRENT,
    )
    expect(await h.store.agents.listForRun(s.runId)).toHaveLength(1)
    expect(await h.store.workers.list()).toHaveLength(1)
  })

  it('gives a double-clicked registration (same registration id twice at once) one agent', async () => {
    await using h = await openHarness()
    const s = await h.startRun()
    const [first, second] = await Promise.all([s.register('w1'), s.register('w1')])
    expect(first.agent_id).toEqual(expect.any(String))
    expect(second.agent_id).toBe(first.agent_id)
    expect(await h.store.agents.listForRun(s.runId)).toHaveLength(1)
  })

  it('never gives one unit twice when registrations and submissions interleave', async () => {
    await using h = await openHarness()
    const data = Array.from({ length: 6 }, (_, index) => ({ index }))
    const s = await h.startRun({ data, maxConcurrentUnits: 3 })
    const workers = Array.from({ length: 12 }, (_, index) => `w${String(index)}`)
    const first = await Promise.all(workers.slice(0, 6).map((worker) => s.register(worker)))
    const holders = first.filter((answer) => answer.agent_id !== null)
    expect(holders).toHaveLength(3)
    // Hand in every unit while the next wave registers.
    const completed = s.progressWhere((progress) => progress.completed === 3)
    const [, second] = await Promise.all([
      Promise.all(holders.map((answer) => s.submit(answer.agent_id!, { ok: true }))),
      Promise.all(workers.slice(6).map((worker) => s.register(worker))),
    ])
    await completed
    const late = await Promise.all(workers.slice(6).map((worker) => s.register(worker)))
    const agents = await h.store.agents.listForRun(s.runId)
    expect(new Set(agents.map((agent) => agent.unitId)).size).toBe(agents.length)
    expect(agents.length).toBeLessThanOrEqual(6)
    // A second wave answer and its reload agree.
    const reloads = second
      .map((answer, index) => [answer.agent_id, late[index]!.agent_id] as const)
      .filter(([agentId]) => agentId !== null)
    expect(reloads.map(([, reloaded]) => reloaded)).toEqual(reloads.map(([agentId]) => agentId))
    expect(h.logger.errors()).toEqual([])
  })
})
