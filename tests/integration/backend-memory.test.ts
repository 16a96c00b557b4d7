// Issue 9 item 5: what the backend keeps in memory per agent (pushed
// statuses, remote-call callers and calls) is released when the agent's unit
// ends, through a real router; a page that reloads after the end is still
// told its final status.
import { describe, expect, it } from 'vitest'
import { AgentStatus } from '@faust/protocol'
import type { AnyPacket, TestAgent } from '@faust/testing'
import { openHarness, statusPushed, type Harness, type RunSession } from '@faust/testing/backend'

const WORKERS = 12

const procedures = {
  remoteProcedures: { echo: ({ text }: Record<string, unknown>) => ({ text }) },
}

/** A raw remote call from the page; resolves with the answer's data. */
async function call(page: TestAgent, requestId: string): Promise<unknown> {
  page.sendLiveUpdate({ request_id: requestId, target: 'echo', args: '{"text":"hi"}' })
  const answer: AnyPacket = await page.next(
    'client_bound_live_update',
    (packet) => (packet.data as { handles?: unknown }).handles === requestId,
  )
  return answer.data
}

/** One worker's unit: registered, page open, a remote call, handed in. */
async function workOneUnit(
  h: Harness,
  s: RunSession,
  worker: string,
  done: number,
): Promise<string> {
  const { agent_id: agentId } = await s.register(worker, `asg-${worker}`)
  if (agentId === null) throw new Error(`${worker} got no unit`)
  const page = await h.t.connectAgent(agentId)
  page.alive()
  await statusPushed(page, AgentStatus.IN_TASK)
  expect(await call(page, `${worker}-r1`)).toMatchObject({ response: '{"text":"hi"}' })
  const completed = s.progressWhere((progress) => progress.completed === done + 1)
  expect((await s.submit(agentId, { done: true })).status).toBe(200)
  await completed
  await page.close()
  return agentId
}

const items = Array.from({ length: WORKERS }, (_, index) => ({ text: String(index) }))

describe('backend memory per agent', () => {
  it('releases pushed statuses and remote-call state once each unit ends', async () => {
    await using h = await openHarness()
    const s = await h.startRun({ ...procedures, data: items })
    for (let index = 0; index < WORKERS; index += 1)
      await workOneUnit(h, s, `w${String(index)}`, index)
    expect(s.run.stats()).toEqual({
      pushedStatuses: 0,
      endedStatuses: WORKERS,
      remoteCallers: 0,
      agentsWithRemoteCalls: 0,
      onboardingVerdicts: 0,
    })
    const routerStats = h.t.router.stats()
    expect([routerStats.agents, routerStats.admittedAgents]).toEqual([0, 0])
  })

  it('keeps what a working agent needs, and only that', async () => {
    await using h = await openHarness()
    const s = await h.startRun({ ...procedures, data: items })
    await workOneUnit(h, s, 'done', 0)
    const { agent_id: agentId } = await s.register('busy', 'asg-busy')
    const page = await h.t.connectAgent(agentId!)
    page.alive()
    await statusPushed(page, AgentStatus.IN_TASK)
    expect(await call(page, 'busy-r1')).toMatchObject({ response: '{"text":"hi"}' })
    expect(s.run.stats()).toEqual({
      pushedStatuses: 1,
      endedStatuses: 1,
      remoteCallers: 1,
      agentsWithRemoteCalls: 0,
      onboardingVerdicts: 0,
    })
  })

  it('pushes the final status again to a page that reloads after its unit ended', async () => {
    // A router that remembers no ended agent and takes any id, as Mephisto's
    // does after a restart: only the backend can tell the page it is done.
    await using h = await openHarness({ maxEndedAgents: 0, allowUnknownAgents: true })
    const s = await h.startRun({ ...procedures, data: items }, { statusPollMs: 1000 })
    const agentId = await workOneUnit(h, s, 'reloader', 0)
    expect(s.run.stats()).toMatchObject({ pushedStatuses: 0, endedStatuses: 1 })
    const reload = await h.t.connectAgent(agentId)
    reload.alive()
    expect((await reload.next('update_status')).data).toEqual({ status: 'none' })
    h.t.clock.advance(1000) // the backend's status poll: the router reports `none`
    expect((await statusPushed(reload, AgentStatus.COMPLETED)).data).toEqual({
      status: 'completed',
    })
  })
})
