// Onboarding through the real router (docs/protocol.md §4.4, §4.5, §11 items 21–25).
import { describe, expect, it } from 'vitest'
import { AgentStatus, FailureReason } from '@faust/protocol'
import type { TaskOptions } from '@faust/backend'
import type { Store } from '@faust/backend/store'
import { openHarness, statusPushed } from '@faust/testing/backend'

const QUIZ = { question: 'Is the sky blue?' }
const QUAL = 'label-onboarding'

const onboarding = (
  validate: NonNullable<TaskOptions['onboarding']>['validate'] = ({ outputs }) =>
    (outputs as { answer?: unknown }).answer === 'yes',
): Partial<TaskOptions> => ({ onboarding: { data: QUIZ, validate } })

async function grantsOf(h: { store: Store }, workerId: string) {
  const grants = await h.store.qualifications.listForWorker(workerId)
  return Object.fromEntries(grants.map((grant) => [grant.qualificationName, grant.value]))
}

describe('onboarding', () => {
  it('gives a new worker an onboarding agent with the onboarding data, and pushes `onboarding`', async () => {
    await using h = await openHarness()
    const s = await h.startRun(onboarding())
    const answer = await s.register('w1')
    expect(answer).toEqual({
      request_id: expect.any(String) as string,
      worker_id: expect.any(String) as string,
      agent_id: expect.stringMatching(/^onboarding_/) as string,
      init_task_data: QUIZ,
      failure_reason: null,
    })
    expect(await h.store.agents.listForRun(s.runId)).toEqual([])

    await using page = await h.t.connectAgent(answer.agent_id!)
    page.alive()
    await statusPushed(page, AgentStatus.ONBOARDING)
    const id = answer.agent_id!.slice('onboarding_'.length)
    expect((await h.store.onboardingAgents.get(id))?.status).toBe(AgentStatus.ONBOARDING)

    // A reload before submitting returns the same onboarding agent.
    const again = await s.register('w1')
    expect(again).toEqual({ ...answer, request_id: again.request_id })
    expect(await h.store.workers.list()).toHaveLength(1)
  })

  it('offers no onboarding when no unit is left, and answers all five keys without onboarding data', async () => {
    await using h = await openHarness()
    const s = await h.startRun({
      data: [{ text: 'only' }],
      onboarding: { data: undefined, validate: () => true },
    })
    const answer = await s.register('w1')
    expect(Object.keys(answer).sort()).toEqual([
      'agent_id',
      'failure_reason',
      'init_task_data',
      'request_id',
      'worker_id',
    ])
    // What the page is given first is what a reload gives it again.
    const reload = await s.register('w1')
    expect(reload.init_task_data).toEqual(answer.init_task_data)

    await h.grant('veteran', QUAL, 1)
    expect((await s.register('veteran')).failure_reason).toBeNull()
    expect(await s.register('newcomer')).toMatchObject({
      agent_id: null,
      failure_reason: FailureReason.NO_AVAILABLE_UNITS,
    })
    const newcomer = await h.store.workers.find({
      providerType: 'mock',
      workerName: 'newcomer_sandbox',
    })
    expect(
      await h.store.onboardingAgents.findByRegistration({
        taskRunId: s.runId,
        registrationId: 'asg-newcomer',
      }),
    ).toBeNull()
    expect(newcomer).not.toBeNull()
  })

  it('refuses a failed onboarding, grants 0 and <q>-failed, and refuses every later registration', async () => {
    await using h = await openHarness()
    const s = await h.startRun(onboarding())
    const answer = await s.register('w1')
    const verdict = await s.submitOnboarding(answer.agent_id!, { answer: 'no' })
    expect(verdict).toEqual({
      request_id: expect.any(String) as string,
      worker_id: answer.worker_id,
      agent_id: null,
      init_task_data: null,
      failure_reason: FailureReason.ONBOARDING_FAILED,
    })
    expect(await grantsOf(h, answer.worker_id!)).toEqual({ [QUAL]: 0, [`${QUAL}-failed`]: 0 })
    const id = answer.agent_id!.slice('onboarding_'.length)
    const record = await h.store.onboardingAgents.get(id)
    expect(record).toMatchObject({ status: AgentStatus.REJECTED, outputs: { answer: 'no' } })
    // The verdict is never pushed: the router reports the reference's `waiting`.
    await using page = await h.t.connectAgent(answer.agent_id!)
    expect((await page.connectAlive()).data).toEqual({ status: AgentStatus.WAITING })

    // The same page reloaded, and the same worker on another assignment.
    for (const assignment of ['asg', 'other']) {
      expect(await s.register('w1', assignment)).toMatchObject({
        agent_id: null,
        worker_id: null,
        failure_reason: FailureReason.ONBOARDING_FAILED,
      })
    }
    expect(await h.store.agents.listForRun(s.runId)).toEqual([])
    // A second submit of the same onboarding gets the same verdict.
    expect((await s.submitOnboarding(answer.agent_id!, { answer: 'yes' })).failure_reason).toBe(
      FailureReason.ONBOARDING_FAILED,
    )
    expect(await grantsOf(h, answer.worker_id!)).toEqual({ [QUAL]: 0, [`${QUAL}-failed`]: 0 })
  })

  it('reports a worker in onboarding as active until the onboarding ends, however it ends', async () => {
    await using h = await openHarness()
    const s = await h.startRun({ ...onboarding(), assignmentDurationSeconds: 60 })
    const bothIn = s.progressWhere((progress) => progress.activeWorkers === 2)
    const failing = await s.register('w1')
    await s.register('w2')
    await bothIn
    // A failed verdict ends one onboarding…
    const oneLeft = s.progressWhere((progress) => progress.activeWorkers === 1)
    await s.submitOnboarding(failing.agent_id!, { answer: 'no' })
    await oneLeft
    // …and the deadline the other.
    const none = s.progressWhere((progress) => progress.activeWorkers === 0)
    h.t.clock.advance(60_000)
    await none
  })

  it('refuses a worker pre-granted 0 without onboarding, and admits one pre-granted 1 directly', async () => {
    await using h = await openHarness()
    const s = await h.startRun(onboarding())
    const zero = await h.grant('zero', QUAL, 0)
    await h.grant('one', QUAL, 1)

    expect(await s.register('zero')).toEqual({
      request_id: expect.any(String) as string,
      worker_id: zero,
      agent_id: null,
      init_task_data: null,
      failure_reason: FailureReason.ONBOARDING_FAILED,
    })
    const admitted = await s.register('one')
    expect(admitted.agent_id).not.toMatch(/^onboarding/)
    expect(admitted.init_task_data).toEqual({ text: 'a' })
    expect(
      await h.store.onboardingAgents.findByRegistration({
        taskRunId: s.runId,
        registrationId: 'asg-zero',
      }),
    ).toBeNull()
    expect(
      await h.store.onboardingAgents.findByRegistration({
        taskRunId: s.runId,
        registrationId: 'asg-one',
      }),
    ).toBeNull()
  })

  it('answers a passing onboarding with a regular agent that starts, and a reload returns it', async () => {
    await using h = await openHarness()
    const s = await h.startRun(onboarding())
    const answer = await s.register('w1')
    const verdict = await s.submitOnboarding(answer.agent_id!, { answer: 'yes' })
    expect(verdict).toEqual({
      request_id: expect.any(String) as string,
      worker_id: answer.worker_id,
      agent_id: expect.not.stringMatching(/^onboarding/) as string,
      init_task_data: { text: 'a' },
      failure_reason: null,
    })
    expect(await grantsOf(h, answer.worker_id!)).toEqual({ [QUAL]: 1 })
    await using page = await h.t.connectAgent(verdict.agent_id!)
    page.alive()
    await statusPushed(page, AgentStatus.IN_TASK)

    const reload = await s.register('w1')
    expect(reload).toEqual({ ...verdict, request_id: reload.request_id })
    expect(await h.store.agents.listForRun(s.runId)).toHaveLength(1)
    expect(await h.store.workers.list()).toHaveLength(1)
    const id = answer.agent_id!.slice('onboarding_'.length)
    expect((await h.store.onboardingAgents.get(id))?.status).toBe(AgentStatus.APPROVED)

    // Another new worker still starts with onboarding.
    const next = await s.register('w2')
    expect(next.agent_id).toMatch(/^onboarding_/)
  })

  it('gives two simultaneous submits of one onboarding the same agent, created once', async () => {
    await using h = await openHarness()
    const s = await h.startRun(onboarding())
    const answer = await s.register('w1')
    const [first, second] = await Promise.all([
      s.submitOnboarding(answer.agent_id!, { answer: 'yes' }),
      s.submitOnboarding(answer.agent_id!, { answer: 'yes' }),
    ])
    expect(first.agent_id).toEqual(expect.any(String))
    expect(second).toEqual({ ...first, request_id: second.request_id })
    expect(second.request_id).not.toBe(first.request_id)
    expect(await h.store.agents.listForRun(s.runId)).toHaveLength(1)
  })

  it('counts a validate that throws as a fail, and the run goes on', async () => {
    await using h = await openHarness()
    const s = await h.startRun(
      onboarding(({ outputs }) => {
        if ((outputs as { answer?: unknown }).answer === 'boom') throw new Error('validator bug')
        return true
      }),
    )
    const thrower = await s.register('w1')
    const failed = await s.submitOnboarding(thrower.agent_id!, { answer: 'boom' })
    expect(failed.failure_reason).toBe(FailureReason.ONBOARDING_FAILED)
    expect(await grantsOf(h, thrower.worker_id!)).toEqual({ [QUAL]: 0, [`${QUAL}-failed`]: 0 })
    expect(h.logger.errors().some((line) => line.message.includes('onboarding.validate'))).toBe(
      true,
    )

    const other = await s.register('w2')
    const passed = await s.submitOnboarding(other.agent_id!, { answer: 'fine' })
    expect(passed).toMatchObject({ failure_reason: null, init_task_data: { text: 'a' } })
  })

  it('refuses a passed onboarding with NO_AVAILABLE_UNITS when the units went meanwhile', async () => {
    await using h = await openHarness()
    const s = await h.startRun({ ...onboarding(), data: [{ text: 'only' }] })
    const onboardee = await s.register('w1')
    await h.grant('veteran', QUAL, 1)
    expect((await s.register('veteran')).failure_reason).toBeNull()
    const verdict = await s.submitOnboarding(onboardee.agent_id!, { answer: 'yes' })
    expect(verdict).toMatchObject({
      agent_id: null,
      worker_id: onboardee.worker_id,
      failure_reason: FailureReason.NO_AVAILABLE_UNITS,
    })
    expect(await grantsOf(h, onboardee.worker_id!)).toEqual({ [QUAL]: 1 })
  })

  it('disconnects an onboarding that is not submitted within the duration; a reload gets TASK_MISSING', async () => {
    await using h = await openHarness()
    const s = await h.startRun({ ...onboarding(), assignmentDurationSeconds: 60 })
    const answer = await s.register('w1')
    await using page = await h.t.connectAgent(answer.agent_id!)
    page.alive()
    await statusPushed(page, AgentStatus.ONBOARDING)
    // Keep the page's socket alive through the router's heartbeat check.
    for (let second = 0; second < 60; second += 10) {
      await page.ping()
      h.t.clock.advance(10_000)
    }
    await statusPushed(page, AgentStatus.DISCONNECT)
    expect(await s.register('w1')).toMatchObject({
      agent_id: null,
      failure_reason: FailureReason.TASK_MISSING,
    })
    // The same worker on another assignment is offered onboarding again.
    expect((await s.register('w1', 'other')).agent_id).toMatch(/^onboarding_/)
  })
})
