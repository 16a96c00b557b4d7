import { describe, expect, it } from 'vitest'
import { STATUS_TO_TEXT_MAP } from './agent-status.js'
import type { FakeSocket } from '@faust/testing/fakes'
import {
  agentDetails,
  register,
  setup,
  type Harness,
  type SetupOptions,
} from '@faust/testing/client'

/** A registered client whose live socket is open. */
async function connected(
  options: SetupOptions = {},
  initTaskData: unknown = null,
): Promise<Harness & { socket: FakeSocket }> {
  const t = setup(options)
  await register(t, agentDetails('agent-1', { initTaskData }))
  t.client.live.connect()
  const socket = t.sockets.last()
  socket.open()
  return { ...t, socket }
}

/** The router's echo of a heartbeat, stamped on the router's clock. */
function echo(routerNowMs: number, lastMephistoPingMs: number): Record<string, unknown> {
  return {
    packet_type: 'heartbeat',
    subject_id: 'agent-1',
    client_timestamp: 1,
    data: { last_mephisto_ping: lastMephistoPingMs, status: 'in task' },
    router_incoming_timestamp: routerNowMs / 1000,
    router_outgoing_timestamp: routerNowMs / 1000,
  }
}

function status(value: string): Record<string, unknown> {
  return { packet_type: 'update_status', subject_id: 'agent-1', data: { status: value } }
}

function liveUpdate(data: Record<string, unknown>): Record<string, unknown> {
  return { packet_type: 'client_bound_live_update', subject_id: 'agent-1', data }
}

describe('opening', () => {
  it("opens the page's socket and sends alive on open, then reports connected", async () => {
    const t = setup()
    await register(t)
    const changes: string[] = []
    t.client.live.onConnectionStatusChange((value) => changes.push(value))
    expect(t.client.live.getSnapshot()).toMatchObject({
      connection: { status: 'idle' },
      connectionStatus: '',
      agentStatus: null,
      agentId: null,
    })
    t.client.live.connect()
    const socket = t.sockets.last()
    expect(socket.url).toBe('ws://localhost:3000/')
    expect(t.client.live.getSnapshot()).toMatchObject({
      connection: { status: 'connecting', attempt: 1 },
      connectionStatus: 'initializing',
      agentId: 'agent-1',
    })
    socket.open()
    expect(socket.sent).toEqual([
      {
        packet_type: 'alive',
        subject_id: 'agent-1',
        data: { update_id: 'id-1' },
        client_timestamp: t.clock.now() / 1000,
      },
    ])
    expect(t.client.live.getSnapshot().connection).toEqual({ status: 'connected' })
    expect(changes).toEqual(['initializing', 'connected'])
  })

  it('derives wss:// from an https origin, and takes an injected socket URL', async () => {
    const secure = setup({ baseUrl: 'https://tasks.example.org' })
    await register(secure)
    secure.client.live.connect()
    expect(secure.sockets.last().url).toBe('wss://tasks.example.org/')
    const injected = setup({ socketUrl: 'ws://127.0.0.1:9/socket' })
    await register(injected)
    injected.client.live.connect()
    expect(injected.sockets.last().url).toBe('ws://127.0.0.1:9/socket')
  })

  it('closes the previous socket when connect() is called again', async () => {
    const t = await connected()
    t.client.live.connect()
    expect(t.socket.closedByClient).toBe(true)
    expect(t.sockets.sockets).toHaveLength(2)
    t.sockets.last().open()
    t.clock.advance(6000)
    // One heartbeat interval only: the first socket's timers are gone.
    expect(t.sockets.last().sentOfType('heartbeat')).toHaveLength(2)
    expect(t.socket.sentOfType('heartbeat')).toHaveLength(0)
  })

  it('needs an agent id', () => {
    const t = setup()
    expect(() => {
      t.client.live.connect()
    }).toThrow(/needs an agent id/)
  })

  it('without WebSockets, blocks the task with the no_websockets text', async () => {
    const t = setup({ WebSocket: null })
    await register(t)
    t.client.live.connect()
    expect(t.client.live.getSnapshot()).toMatchObject({
      connection: { status: 'closed', reason: 'unsupported' },
      connectionStatus: 'websockets_failure',
    })
    expect(t.client.getSnapshot()).toMatchObject({
      status: 'blocked',
      blockedReason: 'no_websockets',
      blockedExplanation:
        'Sorry, your browser does not support the required version of websockets for this task. Please upgrade to a modern browser.',
    })
  })
})

describe('heartbeats', () => {
  it('sends the first heartbeat 500 ms after open, then one every 6 s, without data', async () => {
    const t = await connected()
    t.clock.advance(499)
    expect(t.socket.sentOfType('heartbeat')).toHaveLength(0)
    t.clock.advance(1)
    expect(t.socket.sentOfType('heartbeat')).toEqual([
      { packet_type: 'heartbeat', subject_id: 'agent-1', client_timestamp: t.clock.now() / 1000 },
    ])
    t.clock.advance(5500)
    expect(t.socket.sentOfType('heartbeat')).toHaveLength(2)
    for (let i = 0; i < 3; i++) {
      t.socket.receive(echo(t.clock.now(), t.clock.now()))
      t.clock.advance(6000)
    }
    expect(t.socket.sentOfType('heartbeat')).toHaveLength(5)
    expect(t.sockets.sockets).toHaveLength(1)
  })

  it('reopens the socket after 5 unanswered heartbeats, and gives up after 10', async () => {
    const t = await connected({ retryDelayMs: () => 100 })
    const changes: string[] = []
    t.client.live.onConnectionStatusChange((value) => changes.push(value))
    t.clock.advance(500 + 4 * 6000)
    expect(t.socket.sentOfType('heartbeat')).toHaveLength(5)
    expect(t.sockets.sockets).toHaveLength(1)
    t.clock.advance(6000)
    expect(t.socket.closedByClient).toBe(true)
    expect(t.client.live.getSnapshot().connection).toEqual({
      status: 'reconnecting',
      attempt: 1,
      reason: 'heartbeat',
    })
    expect(changes).toEqual(['reconnecting_router'])
    t.clock.advance(100)
    const second = t.sockets.last()
    expect(t.sockets.sockets).toHaveLength(2)
    second.open()
    expect(second.sentOfType('alive')).toHaveLength(1)
    expect(changes).toEqual(['reconnecting_router', 'connected'])
    // The router never answers: 10 unanswered in all (the one 500 ms after
    // the reopen included), then the client stops.
    t.clock.advance(3 * 6000)
    expect(t.client.live.getSnapshot().connection.status).toBe('connected')
    t.clock.advance(6000)
    expect(t.client.live.getSnapshot()).toMatchObject({
      connection: { status: 'closed', reason: 'router_dead' },
      connectionStatus: 'disconnected_router',
      disconnectIssueText: STATUS_TO_TEXT_MAP['disconnect'],
    })
    expect(second.closedByClient).toBe(true)
    t.clock.advance(600_000)
    expect(t.sockets.sockets).toHaveLength(2)
    expect(t.clock.pendingTimers).toBe(0)
  })

  it("measures each heartbeat's round trip on its own clock and reports it on the next one", async () => {
    const t = await connected()
    t.clock.advance(500)
    const sentAt = t.clock.now()
    t.clock.advance(37)
    t.socket.receive({ ...echo(t.clock.now(), t.clock.now()), client_timestamp: sentAt / 1000 })
    t.clock.advance(6000 - 37)
    // An echo of a stalled tab (over a minute) is no measurement: the last one stays.
    t.socket.receive({ ...echo(t.clock.now(), t.clock.now()), client_timestamp: 0 })
    t.clock.advance(6000)
    const beats = t.socket.sentOfType('heartbeat')
    expect(beats.map((beat) => beat['faust_rtt_ms'])).toEqual([undefined, 37, 37])
    expect(beats.every((beat) => !('data' in beat))).toBe(true)
  })

  it('an answered heartbeat resets the count', async () => {
    const t = await connected()
    t.clock.advance(500 + 3 * 6000)
    t.socket.receive(echo(t.clock.now(), t.clock.now()))
    t.clock.advance(5 * 6000)
    expect(t.client.live.getSnapshot().connection.status).toBe('connected')
    t.clock.advance(6000)
    expect(t.client.live.getSnapshot().connection.status).toBe('reconnecting')
  })
})

describe('reconnecting', () => {
  it('reopens a socket the server closed, with growing delays, and resumes', async () => {
    const t = await connected()
    const changes: string[] = []
    t.client.live.onConnectionStatusChange((value) => changes.push(value))
    t.socket.drop(1006)
    expect(t.client.live.getSnapshot().connection).toEqual({
      status: 'reconnecting',
      attempt: 1,
      reason: 'closed',
    })
    t.clock.advance(999)
    expect(t.sockets.sockets).toHaveLength(1)
    t.clock.advance(1)
    t.sockets.last().drop(1006)
    t.clock.advance(1999)
    expect(t.sockets.sockets).toHaveLength(2)
    t.clock.advance(1)
    const third = t.sockets.last()
    third.open()
    expect(third.sentOfType('alive')).toHaveLength(1)
    expect(changes).toEqual(['disconnected', 'connected'])
    // A heartbeat answer proves the link: the next loss starts from 1 s again.
    third.receive(echo(t.clock.now(), t.clock.now()))
    third.drop(1001)
    t.clock.advance(1000)
    expect(t.sockets.sockets).toHaveLength(4)
  })

  it('does not reopen a socket the router refused for this agent', async () => {
    const t = await connected()
    t.socket.drop(4404)
    expect(t.client.live.getSnapshot()).toMatchObject({
      connection: { status: 'closed', reason: 'rejected', code: 4404 },
      connectionStatus: 'failed',
    })
    t.clock.advance(60_000)
    expect(t.sockets.sockets).toHaveLength(1)
  })

  it('reconnects after 4503: a restarted router does not know the agent yet', async () => {
    const t = await connected()
    t.socket.drop(4503)
    expect(t.client.live.getSnapshot().connection).toMatchObject({
      status: 'reconnecting',
      reason: 'closed',
    })
    t.clock.advance(1000)
    expect(t.sockets.sockets).toHaveLength(2)
    t.sockets.last().open()
    expect(t.sockets.last().sentOfType('alive')).toHaveLength(1)
  })

  it('stops for good when a newer socket took the agent over (4410), without a reconnect loop', async () => {
    const t = await connected()
    t.socket.drop(4410)
    expect(t.client.live.getSnapshot()).toMatchObject({
      connection: { status: 'closed', reason: 'replaced', code: 4410 },
      connectionStatus: 'disconnected',
      disconnectIssueText: 'This task is open in another tab or window; continue there.',
    })
    t.clock.advance(60_000)
    expect(t.sockets.sockets).toHaveLength(1)
  })

  it('destroy() closes for good until the next connect()', async () => {
    const t = await connected()
    t.client.live.destroy()
    expect(t.socket.closedByClient).toBe(true)
    expect(t.client.live.getSnapshot()).toMatchObject({
      connection: { status: 'closed', reason: 'destroyed' },
      connectionStatus: 'disconnected',
      disconnectIssueText: undefined,
    })
    expect(t.clock.pendingTimers).toBe(0)
    await expect(t.client.live.sendLiveUpdate({ text: 'late' })).rejects.toMatchObject({
      code: 'DISCONNECTED',
      disconnected: true,
    })
    t.client.live.connect()
    t.sockets.last().open()
    expect(t.client.live.getSnapshot().connection.status).toBe('connected')
  })
})

describe('backend liveness, judged on the router clock', () => {
  const HOUR = 3_600_000

  it('ignores a browser clock an hour ahead of the router', async () => {
    const t = await connected()
    // The router's clock is an hour behind the page's; its backend polled 4 s ago.
    const routerStart = t.clock.now() - HOUR
    for (let elapsed = 0; elapsed < 60_000; elapsed += 6000) {
      t.clock.advance(6000)
      const routerNow = routerStart + elapsed
      t.socket.receive(echo(routerNow, routerNow - 4000))
    }
    expect(t.client.live.getSnapshot()).toMatchObject({
      connection: { status: 'connected' },
      agentStatus: null,
    })
  })

  it('declares the backend gone when its last poll is over 20 s old on the router clock', async () => {
    const t = await connected()
    const statuses: string[] = []
    const changes: string[] = []
    t.client.live.onStatusUpdate(({ status: value }) => statuses.push(value))
    t.client.live.onConnectionStatusChange((value) => changes.push(value))
    const routerNow = t.clock.now() + HOUR
    t.socket.receive(echo(routerNow, routerNow - 20_000))
    expect(t.client.live.getSnapshot().connection.status).toBe('connected')
    t.socket.receive(echo(routerNow + 1, routerNow - 20_000))
    expect(statuses).toEqual(['mephisto disconnect'])
    expect(changes).toEqual(['disconnected_server'])
    expect(t.client.live.getSnapshot()).toMatchObject({
      connection: { status: 'closed', reason: 'server_dead' },
      agentStatus: 'mephisto disconnect',
      disconnectIssueText: STATUS_TO_TEXT_MAP['mephisto disconnect'],
    })
    expect(t.socket.closedByClient).toBe(true)
  })

  it('does not guess without router timestamps', async () => {
    const t = await connected()
    t.socket.receive({ packet_type: 'heartbeat', data: { last_mephisto_ping: 0 } })
    expect(t.client.live.getSnapshot().connection.status).toBe('connected')
  })
})

describe('statuses', () => {
  it('delivers each change once and in order, and nothing after a final status', async () => {
    const t = await connected()
    const statuses: string[] = []
    t.client.live.onStatusUpdate(({ status: value }) => statuses.push(value))
    for (const value of ['none', 'none', 'waiting', 'in task', 'in task', 'disconnect', 'in task'])
      t.socket.receive(status(value))
    // The router repeats the current status on every connect.
    t.socket.drop()
    t.clock.advance(1000)
    t.sockets.last().open()
    t.sockets.last().receive(status('disconnect'))
    expect(statuses).toEqual(['none', 'waiting', 'in task', 'disconnect'])
    expect(t.client.live.getSnapshot()).toMatchObject({
      agentStatus: 'disconnect',
      disconnectIssueText: STATUS_TO_TEXT_MAP['disconnect'],
    })
  })

  it('does not set an issue text for partner disconnect, which is not final', async () => {
    const t = await connected()
    t.socket.receive(status('partner disconnect'))
    t.socket.receive(status('completed'))
    expect(t.client.live.getSnapshot()).toMatchObject({
      agentStatus: 'completed',
      disconnectIssueText: undefined,
    })
  })

  it('starts afresh when the page works as another agent', async () => {
    const t = await connected()
    t.socket.receive(status('waiting'))
    t.socket.receive(status('completed'))
    t.client.live.connect('agent-2')
    expect(t.client.live.getSnapshot()).toMatchObject({ agentId: 'agent-2', agentStatus: null })
    const next = t.sockets.last()
    next.open()
    expect(next.sent[0]).toMatchObject({ packet_type: 'alive', subject_id: 'agent-2' })
    next.receive(status('waiting'))
    expect(t.client.live.getSnapshot().agentStatus).toBe('waiting')
  })
})

describe('live updates', () => {
  it('drops an update_id it delivered already, and remembers a bounded number', async () => {
    const t = await connected({ liveConfig: { maxRememberedUpdateIds: 2 } })
    const received: unknown[] = []
    t.client.live.onLiveUpdate((update) => received.push(update['text']))
    for (const [text, id] of [
      ['a', 'u1'],
      ['a again', 'u1'],
      ['b', 'u2'],
      ['c', 'u3'],
      ['a, forgotten', 'u1'],
    ])
      t.socket.receive(liveUpdate({ text, update_id: id }))
    t.socket.receive(liveUpdate({ text: 'no id' }))
    t.socket.receive(liveUpdate({ text: 'no id' }))
    expect(received).toEqual(['a', 'b', 'c', 'a, forgotten', 'no id', 'no id'])
  })

  it('ignores frames that are not JSON objects or of other types', async () => {
    const t = await connected()
    const received: unknown[] = []
    t.client.live.onLiveUpdate((update) => received.push(update))
    t.socket.onmessage?.({ data: 'not json' })
    t.socket.receive({ packet_type: 'client_bound_live_update', data: [1] })
    t.socket.receive({ packet_type: 'agent_details', data: {} })
    expect(received).toEqual([])
  })

  it('keeps listeners apart: one that throws does not stop the others', async () => {
    const t = await connected()
    const received: unknown[] = []
    const errors: unknown[] = []
    const original = globalThis.queueMicrotask
    globalThis.queueMicrotask = (task) => {
      try {
        task()
      } catch (error) {
        errors.push(error)
      }
    }
    try {
      t.client.live.onLiveUpdate(() => {
        throw new Error('listener bug')
      })
      const stop = t.client.live.onLiveUpdate((update) => received.push(update['n']))
      t.socket.receive(liveUpdate({ n: 1 }))
      stop()
      t.socket.receive(liveUpdate({ n: 2 }))
    } finally {
      globalThis.queueMicrotask = original
    }
    expect(received).toEqual([1])
    expect(errors).toHaveLength(2)
  })

  it('sends updates with an update_id after alive, queued while the socket is down', async () => {
    const t = setup()
    await register(t)
    const early = t.client.live.sendLiveUpdate({ text: 'early' })
    t.client.live.connect()
    const socket = t.sockets.last()
    const kept = t.client.live.sendLiveUpdate({ text: 'kept', update_id: 'mine' })
    socket.open()
    expect(await early).toEqual({ text: 'early', update_id: 'id-1' })
    expect(await kept).toEqual({ text: 'kept', update_id: 'mine' })
    expect(socket.sent.map((packet) => packet['packet_type'])).toEqual([
      'alive',
      'mephisto_bound_live_update',
      'mephisto_bound_live_update',
    ])
    expect(socket.sent[1]).toEqual({
      packet_type: 'mephisto_bound_live_update',
      subject_id: 'agent-1',
      data: { text: 'early', update_id: 'id-1' },
      client_timestamp: t.clock.now() / 1000,
    })
    socket.drop()
    const waiting = t.client.live.sendLiveUpdate({ text: 'during the outage' })
    t.clock.advance(1000)
    t.sockets.last().open()
    await waiting
    expect(t.sockets.last().sent.map((packet) => packet['packet_type'])).toEqual([
      'alive',
      'mephisto_bound_live_update',
    ])
  })

  it('refuses sends beyond the queue limit', async () => {
    const t = setup({ liveConfig: { maxQueuedPackets: 1 } })
    await register(t)
    void t.client.live.sendLiveUpdate({ n: 1 })
    await expect(t.client.live.sendLiveUpdate({ n: 2 })).rejects.toMatchObject({
      code: 'BACKLOG_FULL',
    })
  })

  it('replays past_live_updates once, then drops them if the router sends them again', async () => {
    const past = [
      { text: 'hi', update_id: 'p1', timestamp: 1 },
      { text: 'there', update_id: 'p2', timestamp: 2 },
    ]
    const t = setup()
    await register(t, agentDetails('agent-1', { initTaskData: { past_live_updates: past } }))
    const received: unknown[] = []
    t.client.live.onLiveUpdate((update) => received.push(update['text']))
    t.client.live.connect()
    t.client.live.replayPastLiveUpdates(t.client.getSnapshot().initialTaskData)
    const socket = t.sockets.last()
    socket.open()
    socket.receive(liveUpdate({ text: 'there', update_id: 'p2' }))
    socket.receive(liveUpdate({ text: 'new', update_id: 'n1' }))
    expect(received).toEqual(['hi', 'there', 'new'])
  })
})
