import { beforeEach, describe, expect, it } from 'vitest'
import { toSubjectId } from './agent-ref.js'
import { STORE_MODES, useTestStore } from '@faust/testing/store'

describe.each(STORE_MODES)('OnboardingAgentsRepository (%s)', (mode) => {
  const { store, advance, worker } = useTestStore(mode)
  let runId: string
  let workerId: string
  beforeEach(async () => {
    const run = await store.taskRuns.create({
      task: { name: 't', taskType: 'static' },
      providerType: 'mock',
      config: {},
    })
    runId = run.ok ? run.value.run.id : ''
    workerId = await worker('w')
  })

  it('creates an onboarding agent in `none` with its onboarding data', async () => {
    const agent = await store.onboardingAgents.create({
      workerId,
      taskRunId: runId,
      registrationId: 'a1-w',
      initData: { question: 'ready?' },
    })
    expect(agent).toMatchObject({
      status: 'none',
      initData: { question: 'ready?' },
      outputs: null,
      submitted: false,
    })
    expect(agent.id).toMatch(/^[0-9a-f]{32}$/)
    expect(toSubjectId({ kind: 'onboarding', id: agent.id })).toBe(`onboarding_${agent.id}`)
    expect(await store.onboardingAgents.get(agent.id)).toEqual(agent)
    expect(
      (
        await store.onboardingAgents.findByRegistration({
          taskRunId: runId,
          registrationId: 'a1-w',
        })
      )?.id,
    ).toBe(agent.id)
  })

  it('records the onboarding status history in order', async () => {
    const agent = await store.onboardingAgents.create({ workerId, taskRunId: runId })
    for (const status of ['onboarding', 'waiting', 'approved'] as const) {
      advance(100)
      expect((await store.onboardingAgents.setStatus(agent.id, status))?.changed).toBe(true)
    }
    expect(await store.onboardingAgents.history(agent.id)).toEqual([
      { status: 'none', at: 1_000 },
      { status: 'onboarding', at: 1_100 },
      { status: 'waiting', at: 1_200 },
      { status: 'approved', at: 1_300 },
    ])
    expect(await store.agents.history(agent.id)).toEqual([])
    expect(await store.onboardingAgents.setStatus('missing', 'waiting')).toBeNull()
  })

  it('keeps only the first onboarding submission', async () => {
    const agent = await store.onboardingAgents.create({ workerId, taskRunId: runId })
    expect(await store.onboardingAgents.storeOutputs(agent.id, { should_pass: true })).toBe(true)
    expect(await store.onboardingAgents.storeOutputs(agent.id, { should_pass: false })).toBe(false)
    expect(await store.onboardingAgents.get(agent.id)).toMatchObject({
      outputs: { should_pass: true },
      submitted: true,
    })
  })
})
