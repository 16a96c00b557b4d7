import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { CloseCode } from '@faust/protocol'
import { Relay } from '@faust/router'
import {
  FakeClock,
  RecordingLogger,
  TestAgent,
  TestBackend,
  startTestRouter,
  type TestRouter,
} from '@faust/testing'
// The transport is internal; the test plays a remote peer by replacing its address lookup.
import { attachWebSockets } from '../../packages/router/src/transport/websocket-transport.js'
import { createTokenChecker } from '../../packages/router/src/auth/backend-token.js'
import { IdentifyDeadline } from '../../packages/router/src/transport/identify-deadline.js'

const PROVIDER_DATA = { worker_name: 'w1', agent_registration_id: 'a1-w1' }

/** A backend that presents no secret, as Mephisto's Python `WebsocketChannel` connects. */
function connectWithoutSecret(
  t: TestRouter,
  headers: Record<string, string> = {},
): Promise<TestBackend> {
  return TestBackend.connect(t.router.socketUrl, '', { via: 'none', headers })
}

describe("backend auth 'loopback'", () => {
  it('makes a local socket that presents no secret the backend, end to end', async () => {
    await using t = await startTestRouter({ backendAuth: 'loopback' })
    const backend = await connectWithoutSecret(t)
    const response = t.post('/request_agent', { provider_data: PROVIDER_DATA })
    await backend.registerNext('agent-1')
    expect((await response).status).toBe(200)
    const agent = await t.connectAgent('agent-1')
    backend.packet('update_status', 'agent-1', { status: 'in task' })
    await backend.requestStatuses() // the status is applied before the page says alive
    expect((await agent.connectAlive()).data).toEqual({ status: 'in task' })
    agent.send({
      packet_type: 'mephisto_bound_live_update',
      subject_id: 'agent-1',
      data: { text: 'hello', update_id: 'u1' },
    })
    expect((await backend.next('mephisto_bound_live_update')).data).toEqual({
      text: 'hello',
      update_id: 'u1',
    })
    backend.packet('client_bound_live_update', 'agent-1', { text: 'back', update_id: 'u2' })
    expect((await agent.next('client_bound_live_update')).data).toEqual({
      text: 'back',
      update_id: 'u2',
    })
    const submit = await t.post('/submit_task', { USED_AGENT_ID: 'agent-1', final_data: { a: 1 } })
    expect(submit.status).toBe(200)
    expect((await backend.next('submit_unit')).data).toEqual({ a: 1 })
    expect(t.logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: expect.stringMatching(/loopback/) as string,
      }),
    )
  })

  it('still accepts the secret', async () => {
    await using t = await startTestRouter({ backendAuth: 'loopback' })
    const backend = await t.connectBackend()
    const response = t.post('/request_agent', { provider_data: PROVIDER_DATA })
    await backend.registerNext('agent-1')
    expect((await response).status).toBe(200)
  })

  it('treats a local socket whose first packet is an agent’s as a worker (bots, local tests)', async () => {
    await using t = await startTestRouter({ backendAuth: 'loopback' })
    const backend = await connectWithoutSecret(t)
    const response = t.post('/request_agent', { provider_data: PROVIDER_DATA })
    await backend.registerNext('agent-1')
    await response
    const bot = await TestAgent.connect(t.router.socketUrl, 'agent-1')
    backend.packet('update_status', 'agent-1', { status: 'in task' })
    await backend.requestStatuses() // the status is applied before the page says alive
    expect((await bot.connectAlive()).data).toEqual({ status: 'in task' })
    // Having spoken as an agent, it cannot turn into the backend.
    bot.send({ packet_type: 'alive', subject_id: 'mephisto', data: {} })
    expect((await bot.waitClosed()).code).toBe(CloseCode.NOT_AUTHORIZED)
  })

  it('refuses a browser (Origin) and a peer behind a local proxy (forwarding headers)', async () => {
    await using t = await startTestRouter({ backendAuth: 'loopback' })
    for (const headers of [
      // A page of the router's own origin: other origins are refused earlier (403, router-socket-origin).
      { origin: t.router.url },
      { 'x-forwarded-for': '203.0.113.9' },
      { forwarded: 'for=203.0.113.9' },
    ]) {
      const impostor = await connectWithoutSecret(t, headers)
      expect((await impostor.waitClosed()).code).toBe(CloseCode.NOT_AUTHORIZED)
    }
  })

  it('is off by default: a socket without the secret is never the backend', async () => {
    await using t = await startTestRouter()
    const impostor = await connectWithoutSecret(t)
    expect((await impostor.waitClosed()).code).toBe(CloseCode.NOT_AUTHORIZED)
    expect(t.logger.lines.some((line) => line.message.includes('loopback'))).toBe(false)
  })

  it('refuses a socket from another address even in loopback mode', async () => {
    // The real transport and relay on a real loopback server; only the peer
    // address the transport sees is replaced, so all traffic stays local.
    const clock = new FakeClock()
    const logger = new RecordingLogger()
    const relay = new Relay({
      clock,
      logger,
      allowUnknownAgents: false,
      heartbeatTimeoutMs: 15_000,
      reconnectGraceMs: 10_000,
      requestTimeoutMs: 30_000,
      maxBackendBacklog: 100,
      maxAgentQueue: 100,
      maxPendingRequests: 100,
      generateId: () => crypto.randomUUID(),
      maxSubmittedAgents: 100,
      submittedAgentTtlMs: 60_000,
      maxEndedAgents: 100,
    })
    const server = createServer()
    const transport = attachWebSockets({
      server,
      relay,
      logger,
      checkToken: createTokenChecker('a-secret-of-sixteen-chars'),
      maxAgentFrameBytes: 1 << 20,
      maxBackendFrameBytes: 1 << 20,
      backendAuth: 'loopback',
      remoteAddressOf: () => '203.0.113.7',
      identifyDeadline: new IdentifyDeadline({ clock, timeoutMs: 10_000 }),
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      const remote = await TestBackend.connect(`ws://127.0.0.1:${String(port)}/`, '', {
        via: 'none',
      })
      expect((await remote.waitClosed()).code).toBe(CloseCode.NOT_AUTHORIZED)
      expect(relay.stats().backendAttached).toBe(false)
    } finally {
      transport.close()
      relay.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })
})
