// The console's read API, event stream and actions over a real run: a task
// run by @faust/testing's harness (real router, store and bots), the console
// on the harness's fake clock, and the backend's operator actions (mock
// workers, no platform environment) as its ConsoleActions.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  createOperatorActions,
  defineTask,
  recordRouterEvents,
  type ReviewOutcome,
} from '@faust/backend'
import { startTask, type TaskHarness } from '@faust/testing/task'
import type { RunChange } from '../console-actions.js'
import { createConsoleServer, type ConsoleServer } from './console-server.js'
import { login, type ConsoleSession } from './test-support/console-client.js'
import { openStream } from './test-support/event-stream.js'

const label = defineTask({
  name: 'label',
  page: 'dist',
  data: [{ text: 'great phone' }, { text: 'broken box' }, { text: 'fine' }],
  maxConcurrentUnits: 3,
})

let h: TaskHarness
let server: ConsoleServer
let session: ConsoleSession
const changes: RunChange[] = []

beforeEach(async () => {
  h = await startTask(label)
  changes.length = 0
  const actions = createOperatorActions({
    store: h.store,
    env: {},
    actor: 'console',
    // Run changes are the "control" helper's; here a recording stand-in shows the route's work.
    changeRun: ({ change }) => {
      changes.push(change)
      return Promise.resolve({
        applied: 'live',
        settings: {
          maxConcurrentUnits: 1,
          maximumUnitsPerWorker: 0,
          allowedConcurrent: 1,
          assignmentDurationSeconds: 1800,
          launching: 'open',
        },
      })
    },
  })
  server = await createConsoleServer({
    store: h.store,
    actions,
    clock: h.clock,
    port: 0,
    live: { isLive: (runId) => runId === h.run.runId },
  })
  session = await login(server)
})

afterEach(async () => {
  await server.close()
  await h[Symbol.asyncDispose]()
})

interface AgentRow {
  agentId: string
  workerName: string
  status: string
  unitId: string | null
  liveUpdates: number
  errors: number
  lastRttMs: number | null
  connected: boolean | null
}

interface ReviewRow {
  unitId: string
  workerName: string
  reviewStatus: string
  reviewReason: string | null
  bonusCents: number
  data: unknown
  files: { id: string; name: string; size: number; mimetype: string; url: string }[]
}

/** Alice submits (with a file), Bob registers and reports an error: the run the reads look at. */
async function workedRun(): Promise<{ aliceAgent: string; bobAgent: string }> {
  const alice = await h.worker('alice')
  await alice.register()
  await alice.submit(
    { label: 'positive' },
    { files: { photo: new Blob(['not a png'], { type: 'image/png' }) } },
  )
  const bob = await h.worker('bob')
  await bob.register()
  await bob.client.logError({ message: 'boom' })
  return { aliceAgent: alice.agentId ?? '', bobAgent: bob.agentId ?? '' }
}

describe('the read API', () => {
  it('lists the run live with its settings and progress', async () => {
    await workedRun()
    const runs = await session.getJson<unknown[]>('/api/runs')
    expect(runs).toEqual([
      {
        runId: h.run.runId,
        taskName: 'label',
        taskType: 'static',
        providerType: 'mock',
        createdAt: expect.any(Number) as number,
        endedAt: null,
        live: true,
        launching: 'open',
        settings: {
          maxConcurrentUnits: 3,
          maximumUnitsPerWorker: expect.any(Number) as number,
          allowedConcurrent: expect.any(Number) as number,
          assignmentDurationSeconds: expect.any(Number) as number,
        },
        progress: {
          total: 3,
          waiting: 0,
          launched: 1,
          inProgress: 1,
          completed: 1,
          expired: 0,
          activeWorkers: 1,
        },
      },
    ])
  })

  it('rebuilds the progress curve from stored history, with throughput and an ETA', async () => {
    h.clock.advance(60_000)
    await workedRun()
    h.clock.advance(60_000)
    const progress = await session.getJson<{
      series: { at: number; completed: number; inProgress: number; launched: number }[]
      throughputPerHour: number
      etaMs: number | null
    }>(`/api/runs/${h.run.runId}/progress`)
    expect(progress.series.at(-1)).toMatchObject({ completed: 1, inProgress: 1, launched: 1 })
    expect(progress.series[0]?.completed).toBe(0)
    // One unit in the two minutes so far: 30 an hour, two left → four more minutes.
    expect(progress.throughputPerHour).toBeCloseTo(30)
    expect(progress.etaMs).toBe(h.clock.now() + 4 * 60_000)
    expect((await session.get('/api/runs/nope/progress')).status).toBe(404)
  })

  it('shows agents with live updates, errors, RTT and connection from agent events', async () => {
    const { aliceAgent, bobAgent } = await workedRun()
    const recorder = recordRouterEvents(h.store, h.run.runId, { clock: h.clock })
    const at = h.clock.now()
    recorder.agentConnected({ agentId: bobAgent, at, reconnect: false })
    recorder.heartbeat({ agentId: bobAgent, at: at + 1000, gapMs: 1000, rttMs: 42 })
    recorder.heartbeat({ agentId: bobAgent, at: at + 2000, gapMs: 1000, rttMs: 99 }) // sampled away
    recorder.heartbeat({ agentId: bobAgent, at: at + 30_000, gapMs: 28_000, rttMs: null })
    recorder.agentDisconnected({ agentId: aliceAgent, at, reason: 'closed' })
    await recorder.close()
    const agents = await session.getJson<AgentRow[]>(`/api/runs/${h.run.runId}/agents`)
    expect(agents).toMatchObject([
      {
        agentId: aliceAgent,
        workerName: 'alice_sandbox',
        status: 'completed',
        errors: 0,
        connected: false,
        lastRttMs: null,
      },
      { agentId: bobAgent, workerName: 'bob_sandbox', errors: 1, connected: true, lastRttMs: 42 },
    ])
    const timeline = await session.getJson<{
      agent: AgentRow
      events: { kind: string; detail: unknown }[]
    }>(`/api/agents/${bobAgent}/timeline`)
    expect(timeline.agent.agentId).toBe(bobAgent)
    const kinds = timeline.events.map((event) => event.kind)
    expect(kinds[0]).toBe('registered')
    expect(kinds).toEqual(
      expect.arrayContaining(['status', 'connected', 'rtt', 'heartbeat_gap', 'error']),
    )
    expect(kinds.filter((kind) => kind === 'rtt')).toHaveLength(1)
    const aliceTimeline = await session.getJson<{ events: { kind: string }[] }>(
      `/api/agents/${aliceAgent}/timeline`,
    )
    expect(aliceTimeline.events.map((event) => event.kind)).toEqual(
      expect.arrayContaining(['registered', 'status', 'disconnected', 'submitted']),
    )
    expect((await session.get('/api/agents/nope/timeline')).status).toBe(404)
  })

  it('lists the errors of the run, and empty rooms for a static task', async () => {
    const { bobAgent } = await workedRun()
    expect(await session.getJson(`/api/runs/${h.run.runId}/errors`)).toEqual([
      {
        at: expect.any(Number) as number,
        agentId: bobAgent,
        data: expect.objectContaining({ message: 'boom' }) as unknown,
      },
    ])
    expect(await session.getJson(`/api/runs/${h.run.runId}/rooms`)).toEqual({
      waiting: [],
      assignments: [],
    })
  })

  it('shows the review queue with files to download by id', async () => {
    await workedRun()
    const queue = await session.getJson<ReviewRow[]>(`/api/runs/${h.run.runId}/review`)
    expect(queue).toMatchObject([
      {
        workerName: 'alice_sandbox',
        reviewStatus: 'pending',
        data: { label: 'positive' },
        bonusCents: 0,
      },
    ])
    const file = queue[0]?.files[0]
    expect(file).toMatchObject({ name: 'blob', size: 9, mimetype: 'image/png' })
    const download = await session.get(file?.url ?? '')
    expect(download.status).toBe(200)
    expect(download.text).toBe('not a png')
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="blob"/)
    expect(download.headers['x-content-type-options']).toBe('nosniff')
    expect(await session.getJson(`/api/runs/${h.run.runId}/review?status=approved`)).toEqual([])
    expect((await session.get(`/api/runs/${h.run.runId}/review?status=bogus`)).status).toBe(400)
  })
})

describe('the actions', () => {
  it('approves, pays a bonus and repeats idempotently; each outcome audited by the actions', async () => {
    await workedRun()
    const [item] = await session.getJson<ReviewRow[]>(`/api/runs/${h.run.runId}/review`)
    const unitId = item?.unitId ?? ''
    const approve = await session.post('/api/review', {
      taskName: 'label',
      action: { kind: 'approve', target: unitId },
    })
    expect(approve.status).toBe(200)
    expect((JSON.parse(approve.text) as { outcomes: ReviewOutcome[] }).outcomes).toMatchObject([
      { unitId, kind: 'approve', result: 'done' },
    ])
    const again = await session.post('/api/review', {
      taskName: 'label',
      action: { kind: 'approve', target: unitId },
    })
    expect(JSON.parse(again.text)).toMatchObject({ outcomes: [{ result: 'already_done' }] })
    const bonus = await session.post('/api/review', {
      taskName: 'label',
      action: { kind: 'bonus', target: unitId, amountCents: 50, reason: 'thanks' },
    })
    expect(JSON.parse(bonus.text)).toMatchObject({ outcomes: [{ result: 'done' }] })
    expect(await session.getJson(`/api/runs/${h.run.runId}/review?status=approved`)).toMatchObject([
      { unitId, reviewStatus: 'approved', bonusCents: 50 },
    ])
    const audit = await session.getJson<
      { id: number; action: string; actor: string; outcome: string }[]
    >(`/api/audit?run=${h.run.runId}`)
    expect(audit.map(({ action, actor, outcome }) => ({ action, actor, outcome }))).toEqual([
      { action: 'review.approve', actor: 'console', outcome: 'done' },
      { action: 'review.approve', actor: 'console', outcome: 'already_done' },
      { action: 'review.bonus', actor: 'console', outcome: 'done' },
    ])
    const after = await session.getJson<unknown[]>(
      `/api/audit?run=${h.run.runId}&after=${String(audit[1]?.id)}`,
    )
    expect(after).toHaveLength(1)
    const noReason = await session.post('/api/review', {
      taskName: 'label',
      action: { kind: 'reject', target: unitId },
    })
    expect(noReason.status).toBe(400)
  })

  it('rejects every pending unit of a filter in bulk, with the reason', async () => {
    await workedRun()
    const bob = await h.worker('carol')
    await bob.register()
    await bob.submit({ label: 'negative' })
    const bulk = await session.post('/api/review/bulk', {
      runId: h.run.runId,
      filter: { status: 'pending' },
      action: { kind: 'reject', reason: 'spam' },
    })
    expect(bulk.status).toBe(200)
    expect(JSON.parse(bulk.text)).toMatchObject({
      outcomes: [
        { result: 'done', kind: 'reject' },
        { result: 'done', kind: 'reject' },
      ],
    })
    expect(
      await session.getJson(`/api/runs/${h.run.runId}/review?status=rejected&worker=carol_sandbox`),
    ).toMatchObject([{ workerName: 'carol_sandbox', reviewReason: 'spam' }])
    const noReason = await session.post('/api/review/bulk', {
      runId: h.run.runId,
      filter: { status: 'pending' },
      action: { kind: 'reject' },
    })
    expect(noReason.status).toBe(400)
  })

  it('blocks, unblocks and qualifies a worker in the store', async () => {
    await workedRun()
    const [alice] = await session.getJson<{ workerId: string }[]>(`/api/runs/${h.run.runId}/agents`)
    const workerId = alice?.workerId ?? ''
    const block = await session.post(`/api/workers/${workerId}/block`, { reason: 'spam' })
    expect(JSON.parse(block.text)).toEqual({ result: 'done', platform: 'none' })
    expect(
      JSON.parse((await session.post(`/api/workers/${workerId}/block`, {})).text),
    ).toMatchObject({
      result: 'already_done',
    })
    expect(
      await h.store.qualifications.getGrant({ name: label.blockQualification, workerId }),
    ).not.toBeNull()
    expect(
      JSON.parse((await session.post(`/api/workers/${workerId}/unblock`, {})).text),
    ).toMatchObject({
      result: 'done',
    })
    const qualify = await session.post(`/api/workers/${workerId}/qualify`, {
      qualification: 'expert',
      value: 3,
    })
    expect(JSON.parse(qualify.text)).toMatchObject({ result: 'done' })
    expect(await h.store.qualifications.getGrant({ name: 'expert', workerId })).toMatchObject({
      value: 3,
    })
    expect((await h.store.audit.list()).map((entry) => entry.action)).toEqual([
      'worker.block',
      'worker.block',
      'worker.unblock',
      'worker.qualify',
    ])
  })

  it('validates a run change and hands it to the actions', async () => {
    const set = await session.post(`/api/runs/${h.run.runId}/change`, {
      change: { kind: 'set', setting: 'maxConcurrentUnits', value: 1 },
    })
    expect(set.status).toBe(200)
    expect(JSON.parse(set.text)).toMatchObject({ applied: 'live' })
    expect(changes).toEqual([{ kind: 'set', setting: 'maxConcurrentUnits', value: 1 }])
    const bad = await session.post(`/api/runs/${h.run.runId}/change`, {
      change: { kind: 'set', setting: 'pay', value: 1 },
    })
    expect(bad.status).toBe(400)
    expect(changes).toHaveLength(1)
  })
})

describe('the event stream', () => {
  it('pushes one changed event per move of the store, naming the run, and nothing otherwise', async () => {
    const stream = await openStream(server, session.cookie)
    const alice = await h.worker('alice')
    await alice.register()
    h.clock.advance(500)
    expect(await stream.next()).toEqual({
      event: 'changed',
      data: { runs: [h.run.runId], audit: 0 },
    })
    // Nothing moves: polls send nothing. The next event is the next change's, alone.
    h.clock.advance(500)
    h.clock.advance(500)
    await alice.submit({ label: 'positive' })
    h.clock.advance(500)
    expect(await stream.next()).toEqual({
      event: 'changed',
      data: { runs: [h.run.runId], audit: 0 },
    })
    await h.store.audit.record({
      actor: 'cli',
      action: 'worker.block',
      target: 'w',
      outcome: 'done',
    })
    h.clock.advance(500)
    expect(await stream.next()).toEqual({ event: 'changed', data: { runs: [], audit: 1 } })
    expect(stream.events).toHaveLength(3)
    stream.close()
  })

  it("clears a stream's timer when the browser goes away", async () => {
    const before = h.clock.pendingTimers
    const stream = await openStream(server, session.cookie)
    expect(h.clock.pendingTimers).toBe(before + 1)
    stream.close()
    await vi.waitFor(() => {
      expect(h.clock.pendingTimers).toBe(before)
    })
  })
})
