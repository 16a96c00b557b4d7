import { describe, expect, it } from 'vitest'
import { CloseCode } from '@faust/protocol'
import { startTestRouter, type TestAgent, type TestBackend, type TestRouter } from '@faust/testing'

const HEARTBEAT_TIMEOUT_MS = 15_000
const GRACE_MS = 10_000

async function liveAgent(t: TestRouter, agentId: string, status = 'in task'): Promise<TestAgent> {
  const backend = await backendOf(t)
  backend.pushStatus(agentId, status)
  const agent = await t.connectAgent(agentId)
  await agent.connectAlive()
  return agent
}

// Each test attaches one backend; liveAgent pushes statuses through it.
const backends = new WeakMap<TestRouter, TestBackend>()
async function backendOf(t: TestRouter): Promise<TestBackend> {
  let backend = backends.get(t)
  if (backend === undefined) {
    backend = await t.connectBackend()
    backends.set(t, backend)
  }
  return backend
}

async function statusOf(backend: TestBackend, agentId: string): Promise<unknown> {
  return ((await backend.requestStatuses()).data as Record<string, unknown>)[agentId]
}

describe('heartbeat timeout', () => {
  it('keeps a heartbeating agent and disconnects a silent one, telling it and the next poll', async () => {
    await using t = await startTestRouter({ heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS })
    const backend = await backendOf(t)
    const steady = await liveAgent(t, 'steady')
    const silent = await liveAgent(t, 'silent')
    for (let beat = 0; beat < 4; beat += 1) {
      t.clock.advance(6000) // the page's heartbeat interval
      await steady.ping()
    }
    // 24 s without a heartbeat from `silent`.
    expect(await silent.next('update_status')).toMatchObject({
      subject_id: 'silent',
      data: { status: 'disconnect' },
    })
    expect((await backend.requestStatuses()).data).toEqual({
      steady: 'in task',
      silent: 'disconnect',
    })
  })

  it('disconnects exactly at the timeout, not before', async () => {
    await using t = await startTestRouter({ heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS })
    const backend = await backendOf(t)
    await liveAgent(t, 'a1', 'waiting')
    t.clock.advance(HEARTBEAT_TIMEOUT_MS - 1)
    expect(await statusOf(backend, 'a1')).toBe('waiting')
    t.clock.advance(1)
    expect(await statusOf(backend, 'a1')).toBe('disconnect')
  })

  it('leaves agents in non-live statuses and agents that never connected alone', async () => {
    await using t = await startTestRouter({ heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS })
    const backend = await backendOf(t)
    await liveAgent(t, 'done', 'completed')
    await liveAgent(t, 'accepted', 'accepted')
    backend.pushStatus('static-task', 'in task') // a static page never opens a socket
    t.clock.advance(HEARTBEAT_TIMEOUT_MS * 4)
    expect((await backend.requestStatuses()).data).toEqual({
      done: 'completed',
      accepted: 'accepted',
      'static-task': 'in task',
    })
  })
})

describe('closed sockets', () => {
  it('notices a close at once and disconnects after the grace window if the agent does not come back', async () => {
    await using t = await startTestRouter({ reconnectGraceMs: GRACE_MS })
    const backend = await backendOf(t)
    const agent = await liveAgent(t, 'a1')
    await agent.close()
    await backend.requestStatuses() // the router has handled the close
    t.clock.advance(GRACE_MS - 1)
    expect(await statusOf(backend, 'a1')).toBe('in task')
    t.clock.advance(1)
    expect(await statusOf(backend, 'a1')).toBe('disconnect')
    // Coming back later, the page learns what happened.
    const again = await t.connectAgent('a1')
    expect((await again.connectAlive()).data).toEqual({ status: 'disconnect' })
  })

  it('keeps an agent that reconnects within the grace window, delivering what was sent meanwhile', async () => {
    await using t = await startTestRouter({ reconnectGraceMs: GRACE_MS })
    const backend = await backendOf(t)
    const agent = await liveAgent(t, 'a1')
    await agent.close()
    await backend.requestStatuses()
    backend.sendLiveUpdate('a1', { missed: true })
    t.clock.advance(GRACE_MS - 1000)
    const again = await t.connectAgent('a1')
    expect((await again.connectAlive()).data).toEqual({ status: 'in task' })
    expect((await again.next('client_bound_live_update')).data).toEqual({ missed: true })
    // Past the end of the old grace window, heartbeating as a page does.
    for (let beat = 0; beat < 4; beat += 1) {
      t.clock.advance(6000)
      await again.ping()
    }
    expect(await statusOf(backend, 'a1')).toBe('in task')
  })

  it('does not disconnect an agent whose status became final while it was away', async () => {
    await using t = await startTestRouter({ reconnectGraceMs: GRACE_MS })
    const backend = await backendOf(t)
    const agent = await liveAgent(t, 'a1')
    await agent.close()
    await backend.requestStatuses()
    backend.pushStatus('a1', 'completed')
    t.clock.advance(GRACE_MS * 2)
    expect(await statusOf(backend, 'a1')).toBe('completed')
  })

  it('forgets a submitted agent (as the reference does) but still accepts a repeated submit', async () => {
    await using t = await startTestRouter({ reconnectGraceMs: GRACE_MS })
    const backend = await backendOf(t)
    await liveAgent(t, 'a1')
    const body = { USED_AGENT_ID: 'a1', final_data: { answer: 42 } }
    expect((await t.post('/submit_task', body)).body).toEqual({ status: 'Submitted!' })
    expect((await backend.next('submit_unit')).data).toEqual({ answer: 42 })
    expect((await backend.requestStatuses()).data).toEqual({})
    t.clock.advance(HEARTBEAT_TIMEOUT_MS * 2)
    expect((await backend.requestStatuses()).data).toEqual({})
    expect((await t.post('/submit_task', body)).status).toBe(200)
  })
})

describe('shutdown', () => {
  it('closes every socket with 1001 and answers held requests with 503', async () => {
    const t = await startTestRouter()
    const backend = await backendOf(t)
    const agent = await liveAgent(t, 'a1')
    const held = t.post('/request_agent', {
      provider_data: { worker_name: 'w', agent_registration_id: 'r' },
    })
    await backend.next('register_agent')
    await t.router.close()
    expect((await agent.waitClosed()).code).toBe(CloseCode.GOING_AWAY)
    expect((await backend.waitClosed()).code).toBe(CloseCode.GOING_AWAY)
    expect(await held).toEqual({
      status: 503,
      body: { error: { code: 'SHUTTING_DOWN', message: 'the router is shutting down' } },
    })
    await t[Symbol.asyncDispose]()
  })
})
