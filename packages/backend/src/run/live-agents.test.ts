import { AgentStatus } from '@faust/protocol'
import { describe, expect, it } from 'vitest'
import { useTestStore } from '@faust/testing/store'
import { toSubjectId } from '../store/agent-ref.js'
import {
  makeRunContext,
  reserveFor,
  testTask,
} from '../services/test-support/run-context-fixture.js'
import { liveAgentsOf } from './live-agents.js'

describe('liveAgentsOf', () => {
  const { store } = useTestStore('memory')

  it("lists the run's agents and onboarding agents not yet ended, by wire id, from the store", async () => {
    const { run } = await makeRunContext(store, testTask({ data: [{ a: 1 }, { a: 2 }] }))
    const other = await makeRunContext(store, testTask({ data: [{ a: 3 }] }))
    const working = await reserveFor(store, run.unitIds[0] ?? '', { workerName: 'alice' })
    const ended = await reserveFor(store, run.unitIds[1] ?? '', { workerName: 'bob' })
    await store.agents.setStatus(ended.id, AgentStatus.COMPLETED)
    await reserveFor(store, other.run.unitIds[0] ?? '', { workerName: 'carol' })
    const workerId = working.workerId
    const onboarding = await store.onboardingAgents.create({ workerId, taskRunId: run.runId })
    await store.onboardingAgents.setStatus(onboarding.id, AgentStatus.ONBOARDING)
    const rejected = await store.onboardingAgents.create({ workerId, taskRunId: run.runId })
    await store.onboardingAgents.setStatus(rejected.id, AgentStatus.REJECTED)

    expect(await liveAgentsOf(store, run.runId)).toEqual([
      [working.id, working.status],
      [toSubjectId({ kind: 'onboarding', id: onboarding.id }), AgentStatus.ONBOARDING],
    ])
  })
})
