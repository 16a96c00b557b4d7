// Status reconciliation between the router and the backend (docs/protocol.md §5.3, §5.4, §11 items 28–30).
import { describe, expect, it } from 'vitest'
import { AgentStatus, FailureReason } from '@faust/protocol'
import { UnitStatus } from '@faust/backend/store'
import { startTestRouter } from '@faust/testing'
import {
  nextCall,
  openHarness,
  statusPushed,
  type Harness,
  type RunSession,
} from '@faust/testing/backend'

const POLL_MS = 4000
const HEARTBEAT_TIMEOUT_MS = 15_000

/** Registers `worker` and connects its page, which has seen `in task`. */
async function workingPage(h: Harness, s: RunSession, worker: string) {
  const answer = await s.register(worker)
  const page = await h.t.connectAgent(answer.agent_id!)
  page.alive()
  await statusPushed(page, AgentStatus.IN_TASK)
  return { agentId: answer.agent_id!, page }
}

describe('an agent whose page falls silent', () => {
  it('is reported disconnect by the router; the backend marks it and offers the unit again', async () => {
    await using h = await openHarness()
    const s = await h.startRun({ data: [{ text: 'only' }] })
    const { agentId, page } = await workingPage(h, s, 'w1')

    const released = s.progressWhere((progress) => progress.launched === 1)
    h.t.clock.advance(HEARTBEAT_TIMEOUT_MS + 1000)
    // The router tells the page itself…
    await statusPushed(page, AgentStatus.DISCONNECT)
    // …and reports it on the backend's next poll.
    h.t.clock.advance(POLL_MS)
    await released
    const record = await h.store.agents.get(agentId)
    expect(record?.status).toBe(AgentStatus.DISCONNECT)
    expect((await h.store.units.get(record!.unitId))?.status).toBe(UnitStatus.LAUNCHED)
    expect((await h.store.agents.history(agentId)).map((change) => change.status)).toEqual([
      AgentStatus.ACCEPTED,
      AgentStatus.IN_TASK,
      AgentStatus.DISCONNECT,
    ])

    expect(await s.register('w1')).toMatchObject({ failure_reason: FailureReason.TASK_MISSING })
    expect(await s.register('w2')).toMatchObject({
      failure_reason: null,
      init_task_data: { text: 'only' },
    })
  })

  it('is disconnected when its socket closes and it does not come back within the grace window', async () => {
    await using h = await openHarness()
    const s = await h.startRun({ data: [{ text: 'only' }] })
    const { agentId, page } = await workingPage(h, s, 'w1')
    await page.close()

    const released = s.progressWhere((progress) => progress.launched === 1)
    // The reconnect grace (10 s), then a poll.
    h.t.clock.advance(10_000 + POLL_MS)
    await released
    expect((await h.store.agents.get(agentId))?.status).toBe(AgentStatus.DISCONNECT)
  })

  it('keeps a heartbeating page in task through many polls', async () => {
    await using h = await openHarness()
    const s = await h.startRun()
    const { agentId, page } = await workingPage(h, s, 'w1')
    for (let step = 0; step < 8; step += 1) {
      await page.ping()
      h.t.clock.advance(POLL_MS)
    }
    // A poll round trip after the last advance: the backend has reconciled.
    expect((await page.ping()).data).toMatchObject({ status: AgentStatus.IN_TASK })
    expect((await h.store.agents.get(agentId))?.status).toBe(AgentStatus.IN_TASK)
  })
})

describe('an onboarding page that falls silent', () => {
  it('is disconnected; its reload and a late onboarding submit are answered TASK_MISSING', async () => {
    await using h = await openHarness()
    const s = await h.startRun({ onboarding: { data: { quiz: 1 }, validate: () => true } })
    const answer = await s.register('w1')
    await using page = await h.t.connectAgent(answer.agent_id!)
    page.alive()
    await statusPushed(page, AgentStatus.ONBOARDING)
    expect((await s.run.progress()).activeWorkers).toBe(1)

    const marked = nextCall(h.store.onboardingAgents, 'setStatus')
    h.t.clock.advance(HEARTBEAT_TIMEOUT_MS + 1000)
    await statusPushed(page, AgentStatus.DISCONNECT)
    h.t.clock.advance(POLL_MS)
    expect((await marked)[1]).toBe(AgentStatus.DISCONNECT)
    expect((await s.run.progress()).activeWorkers).toBe(0)

    expect(await s.register('w1')).toMatchObject({ failure_reason: FailureReason.TASK_MISSING })
    // The reference never answers this one (docs/protocol.md W4); the page is told instead.
    expect(await s.submitOnboarding(answer.agent_id!, { answer: 'late' })).toMatchObject({
      agent_id: null,
      failure_reason: FailureReason.TASK_MISSING,
    })
  })
})

describe('a router whose statuses are wrong', () => {
  it('is told the true status again: after a backend reconnect, and on a poll for a final agent', async () => {
    await using h = await openHarness()
    const s = await h.startRun()
    const live = await workingPage(h, s, 'w1')
    const done = await s.register('w2')
    const completed = s.progressWhere((progress) => progress.completed === 1)
    await s.submit(done.agent_id!, {})
    await completed

    // Another authenticated backend takes the router over and corrupts its
    // cache: the live agent is `none`, the completed one `in task`.
    const lost = h.logger.next('lost the router')
    const intruder = await h.t.connectBackend()
    await lost
    intruder.pushStatus(live.agentId, AgentStatus.NONE)
    intruder.pushStatus(done.agent_id!, AgentStatus.IN_TASK)
    await statusPushed(live.page, AgentStatus.NONE)

    // The run's channel reconnects (and takes the router back): it names
    // its live agents again at once.
    const back = h.logger.next('reconnected to the router')
    h.t.clock.advance(200)
    await back
    await intruder.waitClosed()
    await statusPushed(live.page, AgentStatus.IN_TASK)

    // The completed agent is not re-announced; the next poll finds the
    // disagreement and pushes `completed` again.
    await using reloaded = await h.t.connectAgent(done.agent_id!)
    expect((await reloaded.connectAlive()).data).toEqual({ status: AgentStatus.IN_TASK })
    h.t.clock.advance(POLL_MS)
    await statusPushed(reloaded, AgentStatus.COMPLETED)
    expect((await h.store.agents.get(done.agent_id!))?.status).toBe(AgentStatus.COMPLETED)
    expect((await h.store.agents.get(live.agentId))?.status).toBe(AgentStatus.IN_TASK)
  })

  it('makes the backend disconnect an agent the router reports as disconnect', async () => {
    await using h = await openHarness()
    const s = await h.startRun({ data: [{ text: 'only' }] })
    const { agentId } = await workingPage(h, s, 'w1')
    const lost = h.logger.next('lost the router')
    const intruder = await h.t.connectBackend()
    await lost
    intruder.pushStatus(agentId, AgentStatus.DISCONNECT)
    // The poll is queued while the channel is away and sent first on reconnect.
    const released = s.progressWhere((progress) => progress.launched === 1)
    h.t.clock.advance(POLL_MS)
    await released
    expect((await h.store.agents.get(agentId))?.status).toBe(AgentStatus.DISCONNECT)
  })

  it('re-pushes every live status to a restarted router within one poll', async () => {
    await using h = await openHarness()
    const s = await h.startRun()
    const { agentId, page } = await workingPage(h, s, 'w1')
    await page.close()
    const port = h.t.router.port
    const lost = h.logger.next('lost the router')
    await h.t.router.close()
    await lost

    // A new router on the same port, with the same secret and clock, knows nothing.
    await using restarted = await startTestRouter({
      port,
      backendToken: h.t.token,
      clock: h.t.clock,
    })
    const back = h.logger.next('reconnected to the router')
    h.t.clock.advance(200)
    await back
    h.t.clock.advance(POLL_MS)
    await using again = await restarted.connectAgent(agentId)
    expect((await again.connectAlive()).data).toEqual({ status: AgentStatus.IN_TASK })
    expect((await h.store.agents.get(agentId))?.status).toBe(AgentStatus.IN_TASK)
  })
})
