import { describe, expect, it } from 'vitest'
import { CloseCode } from '@faust/protocol'
import { startTestRouter, type TestBackend } from '@faust/testing'

/** A backend packet after `action`: once the agent sees it, everything before it has arrived. */
async function sentinel(
  backend: TestBackend,
  agent: { next: TestBackend['next'] },
  agentId: string,
): Promise<void> {
  backend.sendLiveUpdate(agentId, { sentinel: true })
  await agent.next(
    'client_bound_live_update',
    (packet) => (packet.data as { sentinel?: boolean }).sentinel === true,
  )
}

describe('admission of agent ids', () => {
  it('closes a socket for an id the backend never issued, with 4404, and keeps no record', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    const stranger = await t.connectAgent('guessed-id')
    stranger.alive()
    expect(await stranger.waitClosed()).toEqual({
      code: CloseCode.AGENT_UNKNOWN,
      reason: 'this agent id was not issued by the backend',
    })
    const heartbeater = await t.connectAgent('guessed-id-2')
    heartbeater.heartbeat()
    expect((await heartbeater.waitClosed()).code).toBe(CloseCode.AGENT_UNKNOWN)
    const liveUpdater = await t.connectAgent('guessed-id-3')
    liveUpdater.sendLiveUpdate({ text: 'x' })
    expect((await liveUpdater.waitClosed()).code).toBe(CloseCode.AGENT_UNKNOWN)
    expect((await backend.requestStatuses()).data).toEqual({})
    expect(backend.takeUnread('mephisto_bound_live_update')).toEqual([])
  })

  it('admits ids named in agent_details, update_status and client_bound_live_update', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    const registration = t.post('/request_agent', {
      provider_data: { worker_name: 'w', agent_registration_id: 'r' },
    })
    await backend.registerNext('from-details')
    await registration
    backend.pushStatus('from-status', 'waiting')
    backend.sendLiveUpdate('from-live-update', { hello: 1 })
    for (const [id, status] of [
      ['from-details', 'none'],
      ['from-status', 'waiting'],
      ['from-live-update', 'none'],
    ] as const) {
      const agent = await t.connectAgent(id)
      expect((await agent.connectAlive()).data).toEqual({ status })
    }
  })

  it('with allowUnknownAgents, accepts any id as the reference does and records it as none', async () => {
    await using t = await startTestRouter({ allowUnknownAgents: true })
    const backend = await t.connectBackend()
    const agent = await t.connectAgent('from-before-a-restart')
    expect(await agent.connectAlive()).toEqual({
      packet_type: 'update_status',
      subject_id: 'from-before-a-restart',
      data: { status: 'none' },
      router_outgoing_timestamp: t.clock.now() / 1000,
    })
    expect((await backend.requestStatuses()).data).toEqual({ 'from-before-a-restart': 'none' })
  })

  it('closes a socket that switches to another agent id with 4403', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    backend.pushStatus('a', 'in task')
    backend.pushStatus('b', 'in task')
    const agent = await t.connectAgent('a')
    await agent.connectAlive()
    agent.agentId = 'b'
    agent.sendLiveUpdate({ text: 'as b' })
    expect((await agent.waitClosed()).code).toBe(CloseCode.SUBJECT_MISMATCH)
  })
})

describe('alive and queued packets', () => {
  it('sends the current status first, then the queue in order, without the stale statuses', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    backend.pushStatus('a1', 'waiting')
    backend.sendLiveUpdate('a1', { n: 1 })
    backend.pushStatus('a1', 'in task')
    backend.sendLiveUpdate('a1', { n: 2 })
    await backend.requestStatuses() // the router has queued all four
    const agent = await t.connectAgent('a1')
    agent.alive()
    await sentinel(backend, agent, 'a1')
    expect(agent.received.map((packet) => [packet.packet_type, packet.data])).toEqual([
      ['update_status', { status: 'in task' }],
      ['client_bound_live_update', { n: 1 }],
      ['client_bound_live_update', { n: 2 }],
      ['client_bound_live_update', { sentinel: true }],
    ])
  })

  it('bounds the queue of an agent without a socket, keeping the newest', async () => {
    await using t = await startTestRouter({ maxAgentQueue: 2 })
    const backend = await t.connectBackend()
    for (let n = 1; n <= 4; n += 1) backend.sendLiveUpdate('a1', { n })
    await backend.requestStatuses()
    const agent = await t.connectAgent('a1')
    agent.alive()
    await sentinel(backend, agent, 'a1')
    expect(
      agent.received.filter((p) => p.packet_type === 'client_bound_live_update').map((p) => p.data),
    ).toEqual([{ n: 3 }, { n: 4 }, { sentinel: true }])
  })
})

describe('heartbeats', () => {
  it('echoes the heartbeat with last_mephisto_ping and the cached status, and never forwards it', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    backend.pushStatus('a1', 'in task')
    const agent = await t.connectAgent('a1')
    await agent.connectAlive()
    agent.send({ packet_type: 'heartbeat', subject_id: 'a1', client_timestamp: 99.5 })
    expect(await agent.next('heartbeat')).toEqual({
      packet_type: 'heartbeat',
      subject_id: 'a1',
      client_timestamp: 99.5,
      data: { last_mephisto_ping: t.clock.now(), status: 'in task' },
      router_incoming_timestamp: t.clock.now() / 1000,
      router_outgoing_timestamp: t.clock.now() / 1000,
    })
    await backend.requestStatuses()
    expect(backend.takeUnread('heartbeat')).toEqual([])
  })
})

describe('live updates', () => {
  it('forwards both ways with the same keys plus the router timestamps, each packet once and in order', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    backend.pushStatus('a1', 'in task')
    const agent = await t.connectAgent('a1')
    await agent.connectAlive()
    const upstream = {
      packet_type: 'mephisto_bound_live_update',
      subject_id: 'a1',
      data: { text: 'hi', update_id: 'u1' },
      client_timestamp: 5.25,
    }
    agent.send(upstream)
    expect(await backend.next('mephisto_bound_live_update')).toEqual({
      ...upstream,
      router_incoming_timestamp: t.clock.now() / 1000,
      router_outgoing_timestamp: t.clock.now() / 1000,
    })
    const downstream = {
      packet_type: 'client_bound_live_update',
      subject_id: 'a1',
      data: { text: 'back', update_id: 'u2' },
      client_timestamp: null,
      router_incoming_timestamp: null,
      router_outgoing_timestamp: null,
      server_timestamp: 7.5,
    }
    backend.send(downstream)
    expect(await agent.next('client_bound_live_update')).toEqual({
      ...downstream,
      router_incoming_timestamp: t.clock.now() / 1000,
      router_outgoing_timestamp: t.clock.now() / 1000,
    })
    const count = 200
    for (let n = 0; n < count; n += 1) {
      agent.sendLiveUpdate({ n })
      backend.sendLiveUpdate('a1', { n })
    }
    await sentinel(backend, agent, 'a1')
    await agent.ping()
    const statuses = await backend.requestStatuses()
    expect(statuses.data).toEqual({ a1: 'in task' })
    const up = backend
      .takeUnread('mephisto_bound_live_update')
      .map((p) => (p.data as { n: number }).n)
    const down = agent
      .takeUnread('client_bound_live_update')
      .map((p) => (p.data as { n: number }).n)
    const expected = Array.from({ length: count }, (_, n) => n)
    expect(up).toEqual(expected)
    expect(down).toEqual(expected)
  })

  it('forwards a socket log_error to the backend', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    backend.pushStatus('a1', 'in task')
    const agent = await t.connectAgent('a1')
    await agent.connectAlive()
    agent.send({ packet_type: 'log_error', subject_id: 'a1', data: { error: 'boom' } })
    expect((await backend.next('log_error')).data).toEqual({ error: 'boom' })
  })
})

describe('bad frames', () => {
  it('closes the socket with 4400 on malformed JSON, binary frames and invalid packets, relaying nothing', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    backend.pushStatus('a1', 'in task')
    const frames: (string | Buffer)[] = [
      '{"packet_type": "alive",',
      Buffer.from([1, 2, 3]),
      JSON.stringify({
        packet_type: 'mephisto_bound_live_update',
        subject_id: 'a1',
        data: 'not an object',
      }),
      JSON.stringify({ subject_id: 'a1', data: {} }),
      JSON.stringify({ packet_type: 'alive', subject_id: 42, data: {} }),
    ]
    for (const frame of frames) {
      const agent = await t.connectAgent('a1')
      agent.sendRaw(frame)
      expect((await agent.waitClosed()).code).toBe(CloseCode.INVALID_PACKET)
    }
    await backend.requestStatuses()
    expect(backend.takeUnread('mephisto_bound_live_update')).toEqual([])
  })

  it('closes a socket that sends a frame over the limit with 1009', async () => {
    await using t = await startTestRouter({ maxAgentFrameBytes: 4096 })
    const backend = await t.connectBackend()
    backend.pushStatus('a1', 'in task')
    const agent = await t.connectAgent('a1')
    await agent.connectAlive()
    agent.sendLiveUpdate({ text: 'x'.repeat(5000) })
    expect((await agent.waitClosed()).code).toBe(CloseCode.MESSAGE_TOO_BIG)
    await backend.requestStatuses()
    expect(backend.takeUnread('mephisto_bound_live_update')).toEqual([])
  })
})
