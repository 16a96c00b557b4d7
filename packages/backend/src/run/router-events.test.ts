import { describe, expect, it } from 'vitest'
import { FakeClock, RecordingLogger } from '@faust/testing'
import { STORE_MODES, useTestStore } from '@faust/testing/store'
import { recordRouterEvents } from './router-events.js'

describe.each(STORE_MODES)('recordRouterEvents (%s)', (mode) => {
  const { store, launchedRun } = useTestStore(mode)

  it('writes connects, disconnects, long gaps and sampled RTTs in batches on the clock', async () => {
    const { runId } = await launchedRun([1])
    const clock = new FakeClock()
    const recorder = recordRouterEvents(store, runId, { clock, gapThresholdMs: 5000 })
    recorder.agentConnected({ agentId: 'a', at: 0, reconnect: false })
    recorder.heartbeat({ agentId: 'a', at: 1000, gapMs: 1000, rttMs: 30 })
    recorder.heartbeat({ agentId: 'a', at: 2000, gapMs: 1000, rttMs: 31 }) // within 10 s: not kept
    recorder.heartbeat({ agentId: 'a', at: 9000, gapMs: 7000, rttMs: null }) // a gap
    recorder.heartbeat({ agentId: 'a', at: 12_000, gapMs: 3000, rttMs: 35 }) // 11 s after: kept
    recorder.agentDisconnected({ agentId: 'a', at: 13_000, reason: 'heartbeat_timeout' })
    expect(await store.agentEvents.list('a')).toEqual([]) // buffered until the timer
    clock.advance(1000)
    await recorder.flush()
    const events = await store.agentEvents.list('a')
    expect(events.map(({ kind, at, detail }) => ({ kind, at, detail }))).toEqual([
      { kind: 'connected', at: 0, detail: { reconnect: false } },
      { kind: 'rtt', at: 1000, detail: { rttMs: 30 } },
      { kind: 'heartbeat_gap', at: 9000, detail: { gapMs: 7000 } },
      { kind: 'rtt', at: 12_000, detail: { rttMs: 35 } },
      { kind: 'disconnected', at: 13_000, detail: { reason: 'heartbeat_timeout' } },
    ])
    await recorder.close()
    expect(clock.pendingTimers).toBe(0)
  })

  it('caps the events kept per agent and per batch, counting what it dropped', async () => {
    const { runId } = await launchedRun([1])
    const clock = new FakeClock()
    const recorder = recordRouterEvents(store, runId, {
      clock,
      maxEventsPerAgent: 3,
      maxBuffered: 5,
    })
    for (let i = 0; i < 10; i++)
      recorder.agentConnected({ agentId: 'chatty', at: i, reconnect: true })
    for (const agentId of ['b', 'c', 'd'])
      recorder.agentConnected({ agentId, at: 0, reconnect: false })
    expect(recorder.dropped).toBe(7 + 1)
    await recorder.close()
    expect(await store.agentEvents.list('chatty')).toHaveLength(3)
    expect((await store.agentEvents.listForRun(runId)).map((e) => e.agentId)).toEqual([
      'chatty',
      'chatty',
      'chatty',
      'b',
      'c',
    ])
  })

  it('logs a failed write and never throws into the router', async () => {
    const clock = new FakeClock()
    const logger = new RecordingLogger()
    // No such run: the foreign key refuses the batch.
    const recorder = recordRouterEvents(store, 'no-such-run', { clock, logger })
    expect(() => {
      recorder.agentConnected({ agentId: 'a', at: 0, reconnect: false })
    }).not.toThrow()
    await recorder.close()
    expect(logger.lines.map((line) => line.message)).toContain('agent events not stored')
  })
})
