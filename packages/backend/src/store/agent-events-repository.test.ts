import { describe, expect, it } from 'vitest'
import { STORE_MODES, useTestStore } from '@faust/testing/store'

describe.each(STORE_MODES)('AgentEventsRepository (%s)', (mode) => {
  const { store, launchedRun } = useTestStore(mode)

  it('stores a batch in order and lists it per agent and per run', async () => {
    const { runId } = await launchedRun([1])
    await store.agentEvents.record([
      { taskRunId: runId, agentId: 'a1', at: 10, kind: 'connected', detail: { reconnect: false } },
      { taskRunId: runId, agentId: 'onboarding_o1', at: 11, kind: 'rtt', detail: { rttMs: 7 } },
      {
        taskRunId: runId,
        agentId: 'a1',
        at: 12,
        kind: 'disconnected',
        detail: { reason: 'closed' },
      },
    ])
    const a1 = await store.agentEvents.list('a1')
    expect(a1.map(({ kind, at, detail }) => ({ kind, at, detail }))).toEqual([
      { kind: 'connected', at: 10, detail: { reconnect: false } },
      { kind: 'disconnected', at: 12, detail: { reason: 'closed' } },
    ])
    expect((await store.agentEvents.listForRun(runId)).map((e) => e.agentId)).toEqual([
      'a1',
      'onboarding_o1',
      'a1',
    ])
  })

  it('writes a batch larger than one statement allows, and nothing for an empty one', async () => {
    const { runId } = await launchedRun([1])
    await store.agentEvents.record([])
    const many = Array.from({ length: 1200 }, (_, i) => ({
      taskRunId: runId,
      agentId: 'a',
      at: i,
      kind: 'rtt' as const,
      detail: { rttMs: i },
    }))
    await store.agentEvents.record(many)
    const listed = await store.agentEvents.list('a')
    expect(listed).toHaveLength(1200)
    expect(listed.at(-1)?.detail).toEqual({ rttMs: 1199 })
  })

  it('refuses a kind it does not know', async () => {
    const { runId } = await launchedRun([1])
    await expect(
      store.agentEvents.record([
        // @ts-expect-error -- not a kind
        { taskRunId: runId, agentId: 'a', at: 1, kind: 'chatter', detail: {} },
      ]),
    ).rejects.toThrow()
  })
})
