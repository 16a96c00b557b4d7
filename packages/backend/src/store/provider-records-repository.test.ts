import { describe, expect, it } from 'vitest'
import { STORE_MODES, useTestStore } from '@faust/testing/store'
import { completionCodeFor } from './completion-code.js'

describe.each(STORE_MODES)('ProviderRecordsRepository (%s)', (mode) => {
  const { store, setNow, launchedRun, worker } = useTestStore(mode)

  it('writes a listing publishing before its answer, then open, then closed; lists live ones', async () => {
    const { runId } = await launchedRun([1])
    const run = { id: runId }
    const input = {
      taskRunId: run.id,
      providerType: 'prolific',
      sandbox: false,
      completionCode: 'C',
    }
    const first = await store.providerRecords.startPublishing(input)
    expect(first).toMatchObject({
      state: 'publishing',
      listingId: null,
      details: {},
      createdAt: 1_000,
    })
    // A second start (the resumed run) keeps the row as it was.
    expect(await store.providerRecords.startPublishing({ ...input, completionCode: 'D' })).toEqual(
      first,
    )
    setNow(2_000)
    await store.providerRecords.savePublished(run.id, { listingId: 'S1', details: { group: 'g' } })
    expect(await store.providerRecords.getListing(run.id)).toMatchObject({
      state: 'open',
      listingId: 'S1',
      details: { group: 'g' },
      completionCode: 'C',
      updatedAt: 2_000,
    })
    expect(
      (await store.providerRecords.listLiveListings('prolific')).map((l) => l.listingId),
    ).toEqual(['S1'])
    expect(await store.providerRecords.listLiveListings('mturk')).toEqual([])
    await store.providerRecords.setListingState(run.id, 'closed')
    expect(await store.providerRecords.listLiveListings('prolific')).toEqual([])
  })

  it('records an attempt; a row seen first by reconciliation gains the agent later, never loses it', async () => {
    const { runId } = await launchedRun([1])
    const run = { id: runId }
    const attempt = {
      providerType: 'prolific',
      attemptId: 'A1',
      agentId: null,
      taskRunId: run.id,
      providerWorkerId: 'P1',
      placeId: 'S1',
    }
    await store.providerRecords.recordAttempt(attempt)
    const w = await worker('P1')
    const reserved = await store.agents.reserveNext({
      taskRunId: run.id,
      workerId: w,
      initData: () => ({}),
    })
    if (!reserved.ok) throw new Error('no unit')
    const agentId = reserved.value.agent.id
    await store.providerRecords.recordAttempt({ ...attempt, agentId })
    await store.providerRecords.recordAttempt(attempt)
    expect(await store.providerRecords.findAttemptByAgent(agentId)).toMatchObject({
      attemptId: 'A1',
    })
    await store.providerRecords.updateAttemptStatus({
      providerType: 'prolific',
      attemptId: 'A1',
      status: 'submitted',
      providerStatus: 'AWAITING REVIEW',
    })
    expect(await store.providerRecords.listAttempts(run.id)).toEqual([
      expect.objectContaining({
        agentId,
        status: 'submitted',
        providerStatus: 'AWAITING REVIEW',
        checkedAt: 1_000,
      }),
    ])
  })

  it('links the attempt in the reservation itself', async () => {
    const { runId } = await launchedRun([1])
    const run = { id: runId }
    const w = await worker('P2')
    const reserved = await store.agents.reserveNext({
      taskRunId: run.id,
      workerId: w,
      initData: () => ({}),
      providerAttempt: {
        providerType: 'mturk',
        attemptId: 'AS1',
        providerWorkerId: 'P2',
        placeId: 'H1',
      },
    })
    if (!reserved.ok) throw new Error('no unit')
    expect(await store.providerRecords.findAttemptByAgent(reserved.value.agent.id)).toMatchObject({
      providerType: 'mturk',
      attemptId: 'AS1',
      placeId: 'H1',
    })
  })

  it('keeps one action per key: pending before the call, done after; lists by state', async () => {
    const { runId } = await launchedRun([1])
    const run = { id: runId }
    const action = {
      key: 'bonus:a:1',
      taskRunId: run.id,
      agentId: null,
      kind: 'bonus' as const,
      amountCents: 50,
      reason: 'r',
    }
    const pending = await store.providerRecords.beginAction(action)
    expect(pending).toMatchObject({ state: 'pending', amountCents: 50 })
    expect(await store.providerRecords.beginAction({ ...action, amountCents: 99 })).toEqual(pending)
    expect(
      await store.providerRecords.listActions({ taskRunId: run.id, states: ['pending'] }),
    ).toHaveLength(1)
    await store.providerRecords.finishAction(action.key, { state: 'done' })
    expect(
      await store.providerRecords.listActions({ taskRunId: run.id, states: ['pending'] }),
    ).toEqual([])
    expect((await store.providerRecords.findAction(action.key))?.state).toBe('done')
  })

  it('keeps a task’s completion code once made, per platform', async () => {
    let n = 0
    const generate = (): string => `CODE${String(++n)}`
    const a = await store.providerRecords.completionCode({
      taskName: 't',
      providerType: 'prolific',
      generate,
    })
    const b = await store.providerRecords.completionCode({
      taskName: 't',
      providerType: 'prolific',
      generate,
    })
    const c = await store.providerRecords.completionCode({
      taskName: 't',
      providerType: 'mturk',
      generate,
    })
    expect([a, b, c]).toEqual(['CODE1', 'CODE1', 'CODE3'])
  })

  it('appends reconcile events in order', async () => {
    const { runId } = await launchedRun([1])
    const run = { id: runId }
    const event = {
      taskRunId: run.id,
      kind: 'unknown_status',
      agentId: null,
      attemptId: 'A',
      detail: 'X',
      dryRun: false,
      applied: false,
    }
    await store.providerRecords.addEvent(event)
    setNow(5_000)
    await store.providerRecords.addEvent({ ...event, kind: 'listing_closed', applied: true })
    expect(
      (await store.providerRecords.listEvents(run.id)).map((e) => [e.kind, e.at, e.applied]),
    ).toEqual([
      ['unknown_status', 1_000, false],
      ['listing_closed', 5_000, true],
    ])
  })
})

describe('completionCodeFor', () => {
  const { store } = useTestStore('memory')
  it('makes an 8-character code of unambiguous letters and digits once per task and platform', async () => {
    const code = await completionCodeFor(store, 'task', 'prolific')
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/)
    expect(await completionCodeFor(store, 'task', 'prolific')).toBe(code)
    expect(await completionCodeFor(store, 'other', 'prolific')).not.toBe(code)
  })
})
