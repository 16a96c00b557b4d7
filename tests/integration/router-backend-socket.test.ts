import { describe, expect, it } from 'vitest'
import { CloseCode } from '@faust/protocol'
import { TestAgent, TestBackend, startTestRouter, type TestRouter } from '@faust/testing'

const PROVIDER_DATA = { worker_name: 'w1', agent_registration_id: 'a1-w1' }

/** Registers one worker through HTTP and returns the agent id the backend issued. */
async function register(t: TestRouter, backend: TestBackend, agentId: string): Promise<string> {
  const response = t.post('/request_agent', { provider_data: PROVIDER_DATA })
  await backend.registerNext(agentId)
  expect((await response).status).toBe(200)
  return agentId
}

describe('backend socket authentication', () => {
  it('attaches a backend that presents the secret as a Bearer header', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend({ via: 'header' })
    await register(t, backend, 'agent-h')
  })

  it('attaches a backend that presents the secret as the token query parameter', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend({ via: 'query' })
    await register(t, backend, 'agent-q')
  })

  it('refuses the upgrade with 401 when the secret is wrong', async () => {
    await using t = await startTestRouter()
    await expect(TestBackend.connect(t.router.socketUrl, 'not-the-secret-at-all')).rejects.toThrow(
      /HTTP 401/,
    )
    await expect(TestBackend.connect(t.router.socketUrl, 'x', { via: 'query' })).rejects.toThrow(
      /HTTP 401/,
    )
  })

  it('closes an unauthenticated socket that claims to be the backend, and keeps the real one', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    const impostor = await TestAgent.connect(t.router.socketUrl, 'mephisto')
    impostor.alive()
    expect(await impostor.waitClosed()).toEqual({
      code: CloseCode.NOT_AUTHORIZED,
      reason: expect.stringMatching(/backend/) as string,
    })
    await register(t, backend, 'agent-1')
  })

  it('closes an unauthenticated socket that sends backend-only packets', async () => {
    await using t = await startTestRouter()
    await t.connectBackend()
    for (const packet_type of [
      'update_status',
      'agent_details',
      'client_bound_live_update',
      'request_statuses',
    ]) {
      const socket = await TestAgent.connect(t.router.socketUrl, 'x')
      socket.send({ packet_type, subject_id: 'x', data: { status: 'completed' } })
      expect((await socket.waitClosed()).code).toBe(CloseCode.NOT_AUTHORIZED)
    }
  })

  it('lets a second authenticated backend take over and closes the first with 4409', async () => {
    await using t = await startTestRouter()
    const first = await t.connectBackend()
    await first.requestStatuses()
    const second = await t.connectBackend()
    expect((await first.waitClosed()).code).toBe(CloseCode.BACKEND_REPLACED)
    await register(t, second, 'agent-2')
  })

  it('keeps the backend attached after a bad packet from it, and logs it', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    backend.sendRaw('{not json')
    backend.send({ packet_type: 'update_status', subject_id: 'a', data: { status: 'sleeping' } })
    backend.send({ packet_type: 'submit_unit', subject_id: 'a', data: {} })
    const statuses = await backend.requestStatuses()
    expect(statuses.data).toEqual({})
    expect(
      t.logger.lines.filter((line) =>
        line.message.startsWith('dropped a bad packet from the backend'),
      ),
    ).toHaveLength(3)
  })
})

describe('backend polling', () => {
  it('answers request_statuses with every agent status, the request time and mephisto as subject', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    backend.pushStatus('a1', 'in task')
    backend.pushStatus('a2', 'waiting')
    backend.send({
      packet_type: 'request_statuses',
      subject_id: 'mephisto',
      data: {},
      client_timestamp: null,
      router_incoming_timestamp: null,
      router_outgoing_timestamp: null,
      server_timestamp: 1234.5,
    })
    const answer = await backend.next('return_statuses')
    expect(answer).toEqual({
      packet_type: 'return_statuses',
      subject_id: 'mephisto',
      data: { a1: 'in task', a2: 'waiting' },
      client_timestamp: 1234.5,
      router_incoming_timestamp: t.clock.now() / 1000,
      router_outgoing_timestamp: t.clock.now() / 1000,
    })
  })

  it('reports the time of the last poll to agents as last_mephisto_ping, in milliseconds', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    backend.pushStatus('a1', 'in task')
    const agent = await t.connectAgent('a1')
    await agent.connectAlive()
    const pollTime = t.clock.now()
    await backend.requestStatuses()
    t.clock.advance(3000)
    const beat = await agent.ping()
    expect(beat.data).toEqual({ last_mephisto_ping: pollTime, status: 'in task' })
  })
})

describe('while the backend is away', () => {
  it('keeps backend-bound live updates and delivers them in order when it is back', async () => {
    await using t = await startTestRouter()
    const first = await t.connectBackend()
    first.pushStatus('a1', 'in task')
    const agent = await t.connectAgent('a1')
    await agent.connectAlive()
    await first.close()
    for (let index = 0; index < 5; index += 1) agent.sendLiveUpdate({ index })
    await agent.ping() // the router has handled the five updates before answering this
    const second = await t.connectBackend()
    const delivered = []
    for (let index = 0; index < 5; index += 1)
      delivered.push(await second.next('mephisto_bound_live_update'))
    expect(delivered.map((packet) => (packet.data as { index: number }).index)).toEqual([
      0, 1, 2, 3, 4,
    ])
  })

  it('bounds what it keeps and says so in the log', async () => {
    await using t = await startTestRouter({ maxBackendBacklog: 2 })
    const first = await t.connectBackend()
    first.pushStatus('a1', 'in task')
    const agent = await t.connectAgent('a1')
    await agent.connectAlive()
    await first.close()
    for (let index = 0; index < 4; index += 1) agent.sendLiveUpdate({ index })
    await agent.ping()
    expect(
      t.logger.lines.filter((line) => line.message.startsWith('backend backlog full')),
    ).toHaveLength(2)
    const second = await t.connectBackend()
    expect(
      ((await second.next('mephisto_bound_live_update')).data as { index: number }).index,
    ).toBe(0)
    expect(
      ((await second.next('mephisto_bound_live_update')).data as { index: number }).index,
    ).toBe(1)
  })

  it('answers a registration at once with 503 when no backend is attached', async () => {
    await using t = await startTestRouter()
    const response = await t.post('/request_agent', { provider_data: PROVIDER_DATA })
    expect(response).toEqual({
      status: 503,
      body: { error: { code: 'BACKEND_UNAVAILABLE', message: expect.any(String) as string } },
    })
  })
})
