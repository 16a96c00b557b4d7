import { describe, expect, it } from 'vitest'
import { STORE_MODES, useTestStore } from '@faust/testing/store'

describe.each(STORE_MODES)('AgentsRepository (%s)', (mode) => {
  const { store, advance, launchedRun, worker } = useTestStore(mode)

  it('gives the last free unit to exactly one of 50 simultaneous registrations', async () => {
    const { assignments } = await launchedRun([1, 1, 1])
    const unitIds = assignments.map((a) => a.units[0]!.id)
    // Two of the three units are already taken: one remains.
    for (const unitId of unitIds.slice(0, 2)) {
      await store.agents.reserveUnit({ unitIds: [unitId], workerId: await worker(unitId) })
    }
    const workers = await Promise.all(Array.from({ length: 50 }, (_, i) => worker(`racer-${i}`)))
    const outcomes = await Promise.all(
      workers.map((workerId) => store.agents.reserveUnit({ unitIds, workerId })),
    )
    const winners = outcomes.filter((outcome) => outcome.ok)
    expect(winners).toHaveLength(1)
    expect(outcomes.filter((o) => !o.ok).map((o) => !o.ok && o.error.code)).toEqual(
      Array.from({ length: 49 }, () => 'NO_UNIT_RESERVED'),
    )
    const won = winners[0]!.ok ? winners[0]!.value : undefined
    expect(won?.unit).toMatchObject({ id: unitIds[2], status: 'assigned', agentId: won?.agent.id })
    const agents = await store.agents.listForAssignment(assignments[2]!.id)
    expect(agents.map((agent) => agent.id)).toEqual([won?.agent.id])
  })

  it('takes the first free candidate and creates an `accepted` agent bound to it', async () => {
    const { runId, assignments } = await launchedRun([1, 1])
    const [taken, free] = assignments.map((a) => a.units[0]!.id)
    await store.agents.reserveUnit({ unitIds: [taken!], workerId: await worker('first') })
    const w = await worker('second')
    const reserved = await store.agents.reserveUnit({
      unitIds: [taken!, free!],
      workerId: w,
      registrationId: `${assignments[1]!.id}-second`,
      initData: { task: 'hello' },
    })
    if (!reserved.ok) throw new Error('expected a reservation')
    const { agent, unit } = reserved.value
    expect(unit).toMatchObject({ id: free, status: 'assigned', workerId: w, agentId: agent.id })
    expect(agent).toMatchObject({
      unitId: free,
      workerId: w,
      taskRunId: runId,
      assignmentId: assignments[1]!.id,
      status: 'accepted',
      initData: { task: 'hello' },
      createdAt: 1_000,
    })
    expect(await store.agents.get(agent.id)).toEqual(agent)
    expect(await store.agents.history(agent.id)).toEqual([{ status: 'accepted', at: 1_000 }])
  })

  it('reserveNext: 40 simultaneous registrations get 40 distinct units in creation order, none refused', async () => {
    const { runId, assignments } = await launchedRun(Array.from({ length: 50 }, () => 1))
    const workers = await Promise.all(Array.from({ length: 40 }, (_, i) => worker(`next-${i}`)))
    const outcomes = await Promise.all(
      workers.map((workerId) =>
        store.agents.reserveNext({
          taskRunId: runId,
          workerId,
          initData: (shared) => ({ shared }),
        }),
      ),
    )
    const won = outcomes.map((outcome) => (outcome.ok ? outcome.value.unit.id : null))
    // Chosen and claimed in one transaction each: nobody lost a race, and the
    // first 40 units went out in order.
    expect(won).toEqual(assignments.slice(0, 40).map((a) => a.units[0]!.id))
  })

  it('reserveNext: records every start status, passes the shared data, skips held assignments', async () => {
    const { runId, assignments } = await launchedRun([2, 1])
    const w = await worker('starter')
    const first = await store.agents.reserveNext({
      taskRunId: runId,
      workerId: w,
      registrationId: 'reg-1',
      statuses: ['accepted', 'in task'],
      initData: (shared) => ({ wrapped: shared }),
    })
    if (!first.ok) throw new Error('expected a reservation')
    const { agent, sharedData } = first.value
    expect(agent).toMatchObject({
      assignmentId: assignments[0]!.id,
      status: 'in task',
      registrationId: 'reg-1',
      initData: { wrapped: sharedData },
    })
    expect(await store.agents.history(agent.id)).toEqual([
      { status: 'accepted', at: 1_000 },
      { status: 'in task', at: 1_000 },
    ])
    // The worker holds a unit of the first assignment: its second unit is skipped.
    const second = await store.agents.reserveNext({
      taskRunId: runId,
      workerId: w,
      initData: () => ({}),
    })
    expect(second.ok && second.value.agent.assignmentId).toBe(assignments[1]!.id)
    const third = await store.agents.reserveNext({
      taskRunId: runId,
      workerId: w,
      initData: () => ({}),
    })
    expect(third.ok).toBe(false)
  })

  it('never lets a worker racing itself take two units of one assignment', async () => {
    const { assignments } = await launchedRun([2])
    const unitIds = assignments[0]!.units.map((unit) => unit.id)
    const w = await worker('twice')
    const outcomes = await Promise.all([
      store.agents.reserveUnit({ unitIds: [unitIds[0]!], workerId: w }),
      store.agents.reserveUnit({ unitIds: [unitIds[1]!], workerId: w }),
    ])
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1)
  })

  it('generates unguessable agent ids: 128-bit random hex', async () => {
    const { assignments } = await launchedRun([1, 1, 1, 1, 1, 1, 1, 1])
    const ids: string[] = []
    for (const [i, assignment] of assignments.entries()) {
      const reserved = await store.agents.reserveUnit({
        unitIds: [assignment.units[0]!.id],
        workerId: await worker(`w${i}`),
      })
      if (reserved.ok) ids.push(reserved.value.agent.id)
    }
    expect(ids).toHaveLength(8)
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/)
    expect(new Set(ids).size).toBe(8)
    // 8 ids x 32 hex digits: each of the 16 digits should turn up.
    expect(new Set(ids.join('')).size).toBe(16)
  })

  it('records every status change in order and moves the unit along (docs/protocol.md §5.1)', async () => {
    const { assignments } = await launchedRun([1])
    const unitId = assignments[0]!.units[0]!.id
    const reserved = await store.agents.reserveUnit({
      unitIds: [unitId],
      workerId: await worker('w'),
    })
    const agentId = reserved.ok ? reserved.value.agent.id : ''
    const steps = [
      ['waiting', 'assigned'],
      ['in task', 'assigned'],
      ['completed', 'completed'],
      ['approved', 'accepted'],
    ] as const
    for (const [agentStatus, unitStatus] of steps) {
      advance(10)
      const transition = await store.agents.setStatus(agentId, agentStatus)
      expect(transition?.changed).toBe(true)
      expect((await store.units.get(unitId))?.status).toBe(unitStatus)
    }
    expect(await store.agents.setStatus(agentId, 'approved')).toEqual({
      previous: 'approved',
      current: 'approved',
      changed: false,
    })
    expect(await store.agents.history(agentId)).toEqual([
      { status: 'accepted', at: 1_000 },
      { status: 'waiting', at: 1_010 },
      { status: 'in task', at: 1_020 },
      { status: 'completed', at: 1_030 },
      { status: 'approved', at: 1_040 },
    ])
    expect(await store.agents.setStatus('missing', 'completed')).toBeNull()
  })

  it('leaves a unit alone once its agent was detached from it', async () => {
    const { assignments } = await launchedRun([1])
    const unitId = assignments[0]!.units[0]!.id
    const first = await store.agents.reserveUnit({ unitIds: [unitId], workerId: await worker('a') })
    const firstId = first.ok ? first.value.agent.id : ''
    await store.agents.setStatus(firstId, 'waiting')
    await store.agents.setStatus(firstId, 'disconnect')
    expect(await store.units.release({ unitId, agentId: firstId })).toBe(true)
    await store.agents.setStatus(firstId, 'expired')
    expect(await store.units.get(unitId)).toMatchObject({ status: 'launched', agentId: null })
    // `none` maps to `launched`, which only a release may do.
    const second = await store.agents.reserveUnit({
      unitIds: [unitId],
      workerId: await worker('b'),
    })
    const secondId = second.ok ? second.value.agent.id : ''
    await store.agents.setStatus(secondId, 'none')
    expect(await store.units.get(unitId)).toMatchObject({ status: 'assigned', agentId: secondId })
  })

  it('finds the latest agent of a registration and lists a run by status', async () => {
    const { runId, assignments } = await launchedRun([1, 1])
    const [u0, u1] = assignments.map((a) => a.units[0]!.id)
    const w = await worker('w')
    const first = await store.agents.reserveUnit({
      unitIds: [u0!],
      workerId: w,
      registrationId: 'reg',
    })
    const firstId = first.ok ? first.value.agent.id : ''
    await store.agents.setStatus(firstId, 'disconnect')
    await store.units.release({ unitId: u0!, agentId: firstId })
    const second = await store.agents.reserveUnit({
      unitIds: [u1!],
      workerId: w,
      registrationId: 'reg',
    })
    const secondId = second.ok ? second.value.agent.id : ''
    expect(
      (await store.agents.findByRegistration({ taskRunId: runId, registrationId: 'reg' }))?.id,
    ).toBe(secondId)
    expect(
      await store.agents.findByRegistration({ taskRunId: runId, registrationId: 'other' }),
    ).toBeNull()
    expect((await store.agents.listForRun(runId)).map((agent) => agent.id)).toEqual([
      firstId,
      secondId,
    ])
    expect((await store.agents.listForRun(runId, ['disconnect'])).map((a) => a.id)).toEqual([
      firstId,
    ])
  })
})
