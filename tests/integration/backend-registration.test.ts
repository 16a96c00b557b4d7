// Registration through the real router (docs/protocol.md §4, §11 items 9–12 and 16–20).
import { describe, expect, it } from 'vitest'
import { AgentStatus, FailureReason } from '@faust/protocol'
import { openHarness, statusPushed } from '@faust/testing/backend'

const statuses = (history: readonly { status: string }[]): string[] =>
  history.map((change) => change.status)

describe('registering workers for a static task', () => {
  it('creates one <name>_sandbox worker and one agent, answers a full agent_details and starts the unit', async () => {
    await using h = await openHarness()
    const s = await h.startRun()
    const answer = await h.t.post('/request_agent', {
      provider_data: { worker_name: 'w1', agent_registration_id: 'asg-w1', provider_type: 'mock' },
    })
    expect(answer.status).toBe(200)
    const packet = answer.body as { packet_type: string; subject_id: string; data: object }
    expect(packet.packet_type).toBe('agent_details')
    expect(packet.subject_id).toBe(`faust_channel_${s.runId}`)
    const workers = await h.store.workers.list()
    expect(workers.map((worker) => worker.workerName)).toEqual(['w1_sandbox'])
    expect(packet.data).toEqual({
      request_id: expect.any(String) as string,
      worker_id: workers[0]!.id,
      agent_id: expect.any(String) as string,
      init_task_data: { text: 'a' },
      failure_reason: null,
    })
    const agents = await h.store.agents.listForRun(s.runId)
    expect(agents).toHaveLength(1)

    // The unit starts at once: `in task` is pushed to the page.
    const agentId = agents[0]!.id
    await using page = await h.t.connectAgent(agentId)
    page.alive()
    await statusPushed(page, AgentStatus.IN_TASK)
    expect(statuses(await h.store.agents.history(agentId))).toEqual([
      AgentStatus.ACCEPTED,
      AgentStatus.IN_TASK,
    ])
  })

  it('starts each registration’s unit immediately (running units grow to 1, then 2)', async () => {
    await using h = await openHarness()
    const s = await h.startRun()
    const first = await s.register('w1')
    await using page1 = await h.t.connectAgent(first.agent_id!)
    page1.alive()
    await statusPushed(page1, AgentStatus.IN_TASK)
    expect((await s.run.progress()).inProgress).toBe(1)

    const second = await s.register('w2')
    await using page2 = await h.t.connectAgent(second.agent_id!)
    page2.alive()
    await statusPushed(page2, AgentStatus.IN_TASK)
    expect((await s.run.progress()).inProgress).toBe(2)
    expect(second.init_task_data).toEqual({ text: 'b' })
  })

  it('gives the same agent back on a reload and creates no rows', async () => {
    await using h = await openHarness()
    const s = await h.startRun()
    const first = await s.register('w1')
    await using page = await h.t.connectAgent(first.agent_id!)
    page.alive()
    await statusPushed(page, AgentStatus.IN_TASK)

    const again = await s.register('w1')
    expect(again).toEqual({ ...first, request_id: again.request_id })
    expect(again.request_id).not.toBe(first.request_id)
    expect(await h.store.workers.list()).toHaveLength(1)
    expect(await h.store.agents.listForRun(s.runId)).toHaveLength(1)
    // Nothing restarted either.
    expect(statuses(await h.store.agents.history(first.agent_id!))).toEqual([
      AgentStatus.ACCEPTED,
      AgentStatus.IN_TASK,
    ])
  })

  it('answers NO_AVAILABLE_UNITS, with the worker id, when no launched unit is left', async () => {
    await using h = await openHarness()
    const s = await h.startRun()
    await s.register('w1')
    await s.register('w2')
    const third = await s.register('w3')
    const worker = await h.store.workers.find({ providerType: 'mock', workerName: 'w3_sandbox' })
    expect(third).toMatchObject({
      agent_id: null,
      worker_id: worker!.id,
      init_task_data: null,
      failure_reason: FailureReason.NO_AVAILABLE_UNITS,
    })
    expect(await h.store.agents.listForRun(s.runId)).toHaveLength(2)
  })
})

describe('local qualifications', () => {
  it('refuses a worker holding the block qualification with BLOCKED and a null worker id', async () => {
    await using h = await openHarness()
    const s = await h.startRun({ blockQualification: 'label-blocked' })
    // A block qualification nobody was ever granted does not exist yet: skipped.
    expect((await s.register('w0')).agent_id).toEqual(expect.any(String))

    await h.grant('w1', 'label-blocked', 0)
    const blocked = await s.register('w1')
    expect(blocked).toEqual({
      request_id: expect.any(String) as string,
      agent_id: null,
      worker_id: null,
      init_task_data: null,
      failure_reason: FailureReason.BLOCKED,
    })
    // A worker without the grant still gets the last unit.
    expect((await s.register('w2')).agent_id).toEqual(expect.any(String))
    const agents = await h.store.agents.listForRun(s.runId)
    expect(agents).toHaveLength(2)
  })

  it('enforces GreaterThan: too low and not granted are refused, above is admitted', async () => {
    await using h = await openHarness()
    const s = await h.startRun({
      qualifications: [{ qualificationName: 'skill', comparator: 'GreaterThan', value: 3 }],
    })
    await h.grant('low', 'skill', 3)
    await h.grant('high', 'skill', 4)
    for (const worker of ['low', 'none']) {
      expect(await s.register(worker)).toMatchObject({
        agent_id: null,
        worker_id: null,
        failure_reason: FailureReason.NOT_QUALIFIED,
      })
    }
    expect(await s.register('high')).toMatchObject({
      failure_reason: null,
      init_task_data: { text: 'a' },
    })
  })

  it('enforces In against a list, and skips requirements for other providers', async () => {
    await using h = await openHarness()
    const s = await h.startRun({
      qualifications: [
        { qualificationName: 'tier', comparator: 'In', value: [1, 2] },
        {
          qualificationName: 'tier',
          comparator: 'EqualTo',
          value: 9,
          applicableProviders: ['mturk'],
        },
      ],
    })
    await h.grant('in', 'tier', 2)
    await h.grant('out', 'tier', 3)
    expect((await s.register('out')).failure_reason).toBe(FailureReason.NOT_QUALIFIED)
    expect((await s.register('in')).failure_reason).toBeNull()
  })
})

describe('per-worker limits', () => {
  it('allowedConcurrent 1: TOO_MANY_CONCURRENT for a second unit, another worker still gets one', async () => {
    await using h = await openHarness()
    const s = await h.startRun({
      allowedConcurrent: 1,
      data: [{ text: 'a' }, { text: 'b' }, { text: 'c' }],
    })
    const first = await s.register('w1', 'asg1')
    expect(first.agent_id).not.toBeNull()
    const second = await s.register('w1', 'asg2')
    expect(second).toEqual({
      request_id: expect.any(String) as string,
      agent_id: null,
      worker_id: first.worker_id,
      init_task_data: null,
      failure_reason: FailureReason.TOO_MANY_CONCURRENT,
    })
    expect((await s.register('w2')).agent_id).not.toBeNull()

    // Once the first unit is handed in, the worker may take another.
    const completed = s.progressWhere((progress) => progress.completed === 1)
    await s.submit(first.agent_id!, { label: 'x' })
    await completed
    expect(await s.register('w1', 'asg3')).toMatchObject({
      failure_reason: null,
      init_task_data: { text: 'c' },
    })
  })

  it('maximumUnitsPerWorker 2: MAX_FOR_TASK after two completed units, also in a new run of the task', async () => {
    await using h = await openHarness()
    const data = [{ text: 'a' }, { text: 'b' }, { text: 'c' }, { text: 'd' }]
    const s = await h.startRun({ maximumUnitsPerWorker: 2, data })
    for (const [index, assignment] of ['asg1', 'asg2'].entries()) {
      const agent = await s.register('w1', assignment)
      const completed = s.progressWhere((progress) => progress.completed === index + 1)
      await s.submit(agent.agent_id!, { n: index })
      await completed
    }
    const refused = await s.register('w1', 'asg3')
    expect(refused).toMatchObject({
      agent_id: null,
      worker_id: expect.any(String) as string,
      failure_reason: FailureReason.MAX_FOR_TASK,
    })
    expect((await s.register('w2')).failure_reason).toBeNull()
    await s.run.stop()

    // A new run of the same task name counts the first run's completed units.
    const next = await h.startRun({ maximumUnitsPerWorker: 2, data })
    expect(next.runId).not.toBe(s.runId)
    expect((await next.register('w1', 'asg4')).failure_reason).toBe(FailureReason.MAX_FOR_TASK)
    expect((await next.register('w3')).failure_reason).toBeNull()
    // w2's first-run unit was never handed in (it expired with the run): it does not count.
    expect((await next.register('w2')).failure_reason).toBeNull()
  })

  it('never gives a worker two units of one assignment', async () => {
    await using h = await openHarness()
    const s = await h.startRun({ unitsPerAssignment: 2 })
    const first = await s.register('w1', 'page1')
    const second = await s.register('w1', 'page2')
    expect(second.failure_reason).toBeNull()
    const third = await s.register('w1', 'page3')
    expect(third.failure_reason).toBe(FailureReason.NO_AVAILABLE_UNITS)
    // Two units are still launched, one in each assignment, for other workers.
    expect((await s.run.progress()).launched).toBe(2)

    const agents = await h.store.agents.listForRun(s.runId)
    const mine = agents.filter((agent) => agent.workerId === first.worker_id)
    expect(new Set(mine.map((agent) => agent.assignmentId)).size).toBe(2)
    expect((await s.register('w2')).failure_reason).toBeNull()
    expect((await s.register('w3')).failure_reason).toBeNull()
    const all = await h.store.agents.listForRun(s.runId)
    for (const assignmentId of new Set(all.map((agent) => agent.assignmentId))) {
      const workers = all
        .filter((agent) => agent.assignmentId === assignmentId)
        .map((a) => a.workerId)
      expect(new Set(workers).size).toBe(workers.length)
    }
  })
})
