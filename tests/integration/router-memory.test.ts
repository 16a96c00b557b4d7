// Issue 9 item 5: every per-agent structure of the router is released when
// the agent's unit ends, and ended agents are remembered in a bounded set so
// their late packets are still answered as theirs.
import { describe, expect, it } from 'vitest'
import { CloseCode } from '@faust/protocol'
import { startTestRouter, type TestBackend, type TestRouter } from '@faust/testing'
import { postJson, registerAgent } from '@faust/testing/http'

const HEARTBEAT_TIMEOUT_MS = 15_000

/** One worker's whole unit: registered, connected, handed in, then `completed` pushed. */
async function workOneUnit(t: TestRouter, backend: TestBackend, agentId: string): Promise<void> {
  await registerAgent(t, backend, agentId)
  backend.pushStatus(agentId, 'in task')
  const page = await t.connectAgent(agentId)
  expect((await page.connectAlive()).data).toEqual({ status: 'in task' })
  const submitted = await postJson(t, '/submit_task', { USED_AGENT_ID: agentId, final_data: {} })
  expect(submitted.status).toBe(200)
  await backend.next('submit_unit')
  backend.pushStatus(agentId, 'completed')
  await page.close()
}

/** Every per-agent count of the router, read after the backend's packets are in. */
async function sizes(t: TestRouter, backend: TestBackend): Promise<Record<string, number>> {
  // Packets on one socket are handled in order: the poll's answer comes after the rest.
  await backend.requestStatuses()
  const stats = t.router.stats()
  return {
    agents: stats.agents,
    admittedAgents: stats.admittedAgents,
    pendingRequests: stats.pendingRequests,
    endedAgents: stats.endedAgents,
  }
}

describe('router memory per agent', () => {
  it('releases every agent whose unit ended: records, admissions and held requests go back to 0', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    for (let index = 0; index < 40; index += 1) await workOneUnit(t, backend, `agent-${index}`)
    expect(await sizes(t, backend)).toEqual({
      agents: 0,
      admittedAgents: 0,
      pendingRequests: 0,
      endedAgents: 40,
    })
  })

  it('keeps at most maxEndedAgents ended agents, forgetting the oldest first', async () => {
    await using t = await startTestRouter({ maxEndedAgents: 5 })
    const backend = await t.connectBackend()
    for (let index = 0; index < 12; index += 1) await workOneUnit(t, backend, `agent-${index}`)
    expect(await sizes(t, backend)).toEqual({
      agents: 0,
      admittedAgents: 0,
      pendingRequests: 0,
      endedAgents: 5,
    })
    // The newest is still answered as itself; the oldest is now a stranger.
    const recent = await t.connectAgent('agent-11')
    expect((await recent.connectAlive()).data).toEqual({ status: 'completed' })
    const forgotten = await t.connectAgent('agent-0')
    forgotten.alive()
    expect((await forgotten.waitClosed()).code).toBe(CloseCode.AGENT_UNKNOWN)
  })

  it('answers late packets of an ended agent with its final status, without regrowing its record', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    await workOneUnit(t, backend, 'late')
    const reload = await t.connectAgent('late')
    expect((await reload.connectAlive()).data).toEqual({ status: 'completed' })
    expect((await reload.ping()).data).toMatchObject({ status: 'completed' })
    // A later status from the backend (a review) is what a reload sees next.
    backend.pushStatus('late', 'approved')
    backend.sendLiveUpdate('late', { too: 'late' })
    expect(await sizes(t, backend)).toMatchObject({ agents: 0, admittedAgents: 0 })
    // The open page still gets both (a late remote-call answer must reach it), queued for no one.
    expect((await reload.next('update_status')).data).toEqual({ status: 'approved' })
    expect((await reload.next('client_bound_live_update')).data).toEqual({ too: 'late' })
    const again = await t.connectAgent('late')
    expect((await again.connectAlive()).data).toEqual({ status: 'approved' })
    // Its page may still report an error about it: not refused as unknown.
    const logged = await postJson(t, '/log_error', {
      USED_AGENT_ID: 'late',
      error_data: { late: true },
    })
    expect(logged.status).toBe(200)
    expect(await sizes(t, backend)).toMatchObject({ agents: 0, admittedAgents: 0 })
  })

  it('releases an agent the router marked disconnect at once, telling the backend in one poll', async () => {
    await using t = await startTestRouter({ heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS })
    const backend = await t.connectBackend()
    await registerAgent(t, backend, 'silent')
    backend.pushStatus('silent', 'in task')
    const page = await t.connectAgent('silent')
    await page.connectAlive()
    t.clock.advance(HEARTBEAT_TIMEOUT_MS)
    expect(await page.next('update_status')).toMatchObject({ data: { status: 'disconnect' } })
    expect((await backend.requestStatuses()).data).toEqual({ silent: 'disconnect' })
    expect((await backend.requestStatuses()).data).toEqual({})
    expect(await sizes(t, backend)).toEqual({
      agents: 0,
      admittedAgents: 0,
      pendingRequests: 0,
      endedAgents: 1,
    })
    const reload = await t.connectAgent('silent')
    expect((await reload.connectAlive()).data).toEqual({ status: 'disconnect' })
  })

  it('does not admit an ended agent again when a reload registers and is given the same id', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    await workOneUnit(t, backend, 'same')
    await registerAgent(t, backend, 'same')
    expect(await sizes(t, backend)).toMatchObject({ agents: 0, admittedAgents: 0, endedAgents: 1 })
    const reload = await t.connectAgent('same')
    expect((await reload.connectAlive()).data).toEqual({ status: 'completed' })
  })

  it('brings an ended agent back when the backend names it live again (it is the authority)', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    await workOneUnit(t, backend, 'back')
    const page = await t.connectAgent('back')
    await page.connectAlive()
    backend.pushStatus('back', 'in task')
    expect((await page.next('update_status')).data).toEqual({ status: 'in task' })
    expect(await sizes(t, backend)).toMatchObject({ agents: 1, admittedAgents: 1, endedAgents: 0 })
    backend.pushStatus('back', 'expired')
    expect((await page.next('update_status')).data).toEqual({ status: 'expired' })
    expect(await sizes(t, backend)).toMatchObject({ agents: 0, admittedAgents: 0, endedAgents: 1 })
  })

  it('releases an onboarding agent once its onboarding is answered, even if statuses follow', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    await registerAgent(t, backend, 'onboarding-1')
    backend.pushStatus('onboarding-1', 'onboarding')
    const page = await t.connectAgent('onboarding-1')
    await page.connectAlive()
    const answer = postJson(t, '/submit_onboarding', {
      provider_data: { USED_AGENT_ID: 'onboarding-1', onboarding_data: { answer: 42 } },
    })
    const submission = await backend.next('submit_onboarding')
    // The backend judges: the onboarding agent waits (a push), then the real agent is named.
    backend.pushStatus('onboarding-1', 'waiting')
    backend.answer(submission, { agentId: 'agent-1' })
    expect((await answer).status).toBe(200)
    expect(await sizes(t, backend)).toEqual({
      agents: 0,
      admittedAgents: 1, // agent-1, the unit the onboarding earned
      pendingRequests: 0,
      endedAgents: 1,
    })
  })

  it('releases a held registration when it is answered or times out', async () => {
    await using t = await startTestRouter({ requestTimeoutMs: 1000 })
    const backend = await t.connectBackend()
    const unanswered = postJson(t, '/request_agent', {
      provider_data: { worker_name: 'w', agent_registration_id: 'w-1' },
    })
    await backend.next('register_agent')
    expect(t.router.stats().pendingRequests).toBe(1)
    t.clock.advance(1000)
    expect((await unanswered).status).toBe(504)
    expect(await sizes(t, backend)).toMatchObject({ pendingRequests: 0, admittedAgents: 0 })
  })
})
