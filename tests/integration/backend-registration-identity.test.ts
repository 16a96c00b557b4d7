// A registration belongs to one worker (docs/protocol.md §4.3, §4.5): the
// registration id (`<assignment>-<worker>` for the mock provider) is visible
// in a task link, so replaying it under another worker name must not hand
// over the other worker's agent. Real router, real backend, real SQLite.
import { describe, expect, it } from 'vitest'
import { FailureReason } from '@faust/protocol'
import { openHarness, type AgentDetails, type Harness } from '@faust/testing/backend'

/** `POST /request_agent` for `registrationId` under `workerName`, as a copied link would send it. */
async function registerAs(
  h: Harness,
  workerName: string,
  registrationId: string,
): Promise<AgentDetails> {
  const answer = await h.t.post('/request_agent', {
    provider_data: {
      worker_name: workerName,
      agent_registration_id: registrationId,
      assignment_id: 'asg',
      provider_type: 'mock',
    },
  })
  expect(answer.status).toBe(200)
  return (answer.body as { data: AgentDetails }).data
}

const TAKEN = {
  agent_id: null,
  worker_id: null,
  init_task_data: null,
  failure_reason: FailureReason.REGISTRATION_TAKEN,
}

describe('a registration id replayed by another worker', () => {
  it('is refused with REGISTRATION_TAKEN and logged with both names; the owner still submits', async () => {
    await using h = await openHarness()
    const s = await h.startRun()
    const victim = await s.register('alice')

    const refusal = h.logger.next("refused to worker 'mallory_sandbox'")
    expect(await registerAs(h, 'mallory', 'asg-alice')).toEqual({
      ...TAKEN,
      request_id: expect.any(String) as string,
    })
    expect((await refusal).details).toEqual({
      registrationId: 'asg-alice',
      owner: 'alice_sandbox',
      claimant: 'mallory_sandbox',
    })
    // Nothing was made for the claimant.
    expect((await h.store.workers.list()).map((worker) => worker.workerName)).toEqual([
      'alice_sandbox',
    ])
    expect(await h.store.agents.listForRun(s.runId)).toHaveLength(1)

    const completed = s.progressWhere((progress) => progress.completed === 1)
    expect((await s.submit(victim.agent_id!, { label: 'mine' })).status).toBe(200)
    await completed
    expect((await h.store.submissions.get(victim.agent_id!))?.data).toEqual({ label: 'mine' })
  })

  it('still gives the same worker its own agent back on a reload', async () => {
    await using h = await openHarness()
    const s = await h.startRun()
    const first = await s.register('alice')
    await registerAs(h, 'mallory', 'asg-alice')
    const again = await registerAs(h, 'alice', 'asg-alice')
    expect(again).toEqual({ ...first, request_id: again.request_id })
  })

  it('refuses a replayed onboarding registration the same way', async () => {
    await using h = await openHarness()
    const s = await h.startRun({ onboarding: { data: { q: 1 }, validate: () => true } })
    const onboarding = await s.register('alice')
    expect(onboarding.agent_id).toMatch(/^onboarding_/)
    expect(await registerAs(h, 'mallory', 'asg-alice')).toMatchObject(TAKEN)
    expect((await registerAs(h, 'alice', 'asg-alice')).agent_id).toBe(onboarding.agent_id)
  })
})
