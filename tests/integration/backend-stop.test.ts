// Stopping a run while pages still talk to it. Each test holds one store
// call so the other event lands exactly inside stop().
import { describe, expect, it } from 'vitest'
import { AgentStatus, FailureReason } from '@faust/protocol'
import { UnitStatus } from '@faust/backend/store'
import { within } from '@faust/testing'
import {
  WAIT_MS,
  afterCall,
  hold,
  nextCall,
  openHarness,
  statusPushed,
  type Harness,
} from '@faust/testing/backend'

async function unitOf(h: Harness, agentId: string) {
  const agent = await h.store.agents.get(agentId)
  return h.store.units.get(agent!.unitId)
}

describe('stopping a run while pages still talk to it', () => {
  it('keeps a submission that arrives once stop() has begun as a late one, never half a result', async () => {
    await using h = await openHarness()
    const s = await h.startRun()
    const agent = await s.register('w1')
    await using page = await h.t.connectAgent(agent.agent_id!)
    page.alive()
    await statusPushed(page, AgentStatus.IN_TASK)

    // stop() has drained what was in flight and is about to expire the agents.
    const listing = hold(h.store.agents, 'listForRun')
    const stopped = s.run.stop()
    await listing.entered()
    const storing = hold(h.store.submissions, 'store')
    const logged = afterCall(h.store.logs, 'addErrorLog')
    expect((await s.submit(agent.agent_id!, { answer: 'late' })).status).toBe(200)
    const first = await within(
      Promise.race([storing.called.then(() => 'stored'), logged.then(() => 'logged')]),
      WAIT_MS,
      'the submission to be handled',
    )
    // (Were it being stored, let the expiry go first, as it could under load.)
    const expiring = nextCall(h.store.agents, 'setStatus')
    listing.release()
    expect((await expiring)[1]).toBe(AgentStatus.EXPIRED)
    storing.release()
    await stopped

    expect({
      agent: (await h.store.agents.get(agent.agent_id!))?.status,
      unit: (await unitOf(h, agent.agent_id!))?.status,
      submission: await h.store.submissions.get(agent.agent_id!),
    }).toEqual({ agent: AgentStatus.EXPIRED, unit: UnitStatus.EXPIRED, submission: null })
    expect(first).toBe('logged')
    expect(await h.store.logs.listErrorLogs({ kind: 'agent', id: agent.agent_id! })).toMatchObject([
      { data: { data: { answer: 'late' } } },
    ])
  })

  it('expires onboarding agents too, and tells their pages', async () => {
    await using h = await openHarness()
    const s = await h.startRun({ onboarding: { data: { quiz: 1 }, validate: () => true } })
    const answer = await s.register('w1')
    await using page = await h.t.connectAgent(answer.agent_id!)
    page.alive()
    await statusPushed(page, AgentStatus.ONBOARDING)

    const final = await s.run.stop()
    await statusPushed(page, AgentStatus.EXPIRED)
    const id = answer.agent_id!.slice('onboarding_'.length)
    expect((await h.store.onboardingAgents.get(id))?.status).toBe(AgentStatus.EXPIRED)
    expect(final).toMatchObject({ activeWorkers: 0, expired: 2, done: true })
  })

  it('gives no unit to an onboarding passed once stop() has begun', async () => {
    await using h = await openHarness()
    const s = await h.startRun({ onboarding: { data: { quiz: 1 }, validate: () => true } })
    const answer = await s.register('w1')
    const listing = hold(h.store.agents, 'listForRun')
    const stopped = s.run.stop()
    await listing.entered()
    const settled = await s.submitOnboarding(answer.agent_id!, { answer: 'yes' })
    listing.release()
    await stopped
    expect(settled).toMatchObject({
      agent_id: null,
      failure_reason: FailureReason.NO_AVAILABLE_UNITS,
    })
    expect(await h.store.agents.listForRun(s.runId)).toEqual([])
  })
})
