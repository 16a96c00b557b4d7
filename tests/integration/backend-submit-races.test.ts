// Submissions that meet the assignment deadline halfway. Each test holds one
// store call so the deadline passes exactly inside it.
import { describe, expect, it, vi } from 'vitest'
import { AgentStatus, FailureReason } from '@faust/protocol'
import { UnitStatus } from '@faust/backend/store'
import { deferred, within } from '@faust/testing'
import { WAIT_MS, hold, openHarness, type Harness } from '@faust/testing/backend'

async function unitOf(h: Harness, agentId: string) {
  const agent = await h.store.agents.get(agentId)
  return h.store.units.get(agent!.unitId)
}

describe('a submission in progress when the deadline passes', () => {
  it('wins: the worker handed in on time, the unit is not offered again', async () => {
    await using h = await openHarness()
    const s = await h.startRun({ assignmentDurationSeconds: 60 })
    const agent = await s.register('w1')
    const storing = hold(h.store.submissions, 'store')
    // The router answers once the submission is stored (stored_acks, issue 11).
    const answer = s.submit(agent.agent_id!, { answer: 1 })
    await storing.entered()

    h.t.clock.advance(60_000)
    const completed = s.progressWhere((progress) => progress.completed === 1)
    storing.release()
    await completed
    // The 60 s also passed the router's request timeout (30 s): that page was
    // told to try again (504), and its retry is confirmed without a second row.
    expect((await answer).status).toBe(504)
    expect((await s.submit(agent.agent_id!, { answer: 1 })).status).toBe(200)

    expect((await h.store.agents.get(agent.agent_id!))?.status).toBe(AgentStatus.COMPLETED)
    expect((await unitOf(h, agent.agent_id!))?.status).toBe(UnitStatus.COMPLETED)
    expect((await h.store.submissions.get(agent.agent_id!))?.data).toEqual({ answer: 1 })
    expect((await h.store.agents.history(agent.agent_id!)).map((change) => change.status)).toEqual([
      AgentStatus.ACCEPTED,
      AgentStatus.IN_TASK,
      AgentStatus.COMPLETED,
    ])
    // w1's unit is done: the next worker gets the other one, the third none.
    expect((await s.register('w2')).init_task_data).toEqual({ text: 'b' })
    expect((await s.register('w3')).failure_reason).toBe(FailureReason.NO_AVAILABLE_UNITS)
  })

  it('still times out when the submission fails to be stored', async () => {
    await using h = await openHarness()
    const s = await h.startRun({ data: [{ text: 'only' }], assignmentDurationSeconds: 60 })
    const agent = await s.register('w1')
    // Storing the submission fails (say, the disk is full), after the deadline passed.
    const entered = deferred<void>()
    const failing = deferred<void>()
    vi.spyOn(h.store.submissions, 'store').mockImplementation(async () => {
      entered.resolve()
      await failing.promise
      throw new Error('disk full')
    })
    const answer = s.submit(agent.agent_id!, { answer: 1 })
    await within(entered.promise, WAIT_MS, 'the submission to be stored')
    h.t.clock.advance(60_000)
    const released = s.progressWhere((progress) => progress.launched === 1)
    failing.resolve()
    await released
    // Never an OK for what was not stored: the page was told to try again
    // (504 at the router's request timeout, which the 60 s passed too).
    expect((await answer).status).toBe(504)
    expect((await h.store.agents.get(agent.agent_id!))?.status).toBe(AgentStatus.DISCONNECT)
    expect(await h.store.submissions.get(agent.agent_id!)).toBeNull()
  })
})
