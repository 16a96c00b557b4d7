import { sql } from 'kysely'
import { beforeEach, describe, expect, it } from 'vitest'
import type { AgentRef } from './agent-ref.js'
import { STORE_MODES, reservedAgent, useTestStore } from '@faust/testing/store'

describe.each(STORE_MODES)('LogsRepository (%s)', (mode) => {
  const { store, setNow } = useTestStore(mode)
  let agent: AgentRef
  let onboarding: AgentRef
  beforeEach(async () => {
    const seeded = await reservedAgent(store)
    agent = { kind: 'agent', id: seeded.agentId }
    const taker = await store.onboardingAgents.create({
      workerId: seeded.workerId,
      taskRunId: seeded.runId,
    })
    onboarding = { kind: 'onboarding', id: taker.id }
  })

  it('keeps metadata per agent of either kind, oldest first', async () => {
    await store.logs.addMetadata(agent, { step: 1 })
    setNow(2_000)
    await store.logs.addMetadata(agent, { step: 2 })
    await store.logs.addMetadata(onboarding, { step: 'o' })
    expect(await store.logs.listMetadata(agent)).toEqual([
      { agent, data: { step: 1 }, at: 1_000 },
      { agent, data: { step: 2 }, at: 2_000 },
    ])
    expect(await store.logs.listMetadata(onboarding)).toEqual([
      { agent: onboarding, data: { step: 'o' }, at: 2_000 },
    ])
  })

  it('keeps error logs with or without an agent', async () => {
    await store.logs.addErrorLog(null, { message: 'router lost' })
    await store.logs.addErrorLog(agent, { message: 'page crashed' })
    await store.logs.addErrorLog(onboarding, { message: 'onboarding crashed' })
    expect((await store.logs.listErrorLogs()).map((entry) => entry.agent)).toEqual([
      null,
      agent,
      onboarding,
    ])
    expect(await store.logs.listErrorLogs(agent)).toEqual([
      { agent, data: { message: 'page crashed' }, at: 1_000 },
    ])
  })

  it('refuses metadata that names no agent, or both kinds', async () => {
    await expect(
      sql`insert into metadata (agent_id, onboarding_agent_id, data, at) values (null, null, '{}', 1)`.execute(
        store.db,
      ),
    ).rejects.toThrow(/CHECK constraint failed: metadata_agent/)
    await expect(
      sql`insert into error_logs (agent_id, onboarding_agent_id, data, at)
          values (${agent.id}, ${onboarding.id}, '{}', 1)`.execute(store.db),
    ).rejects.toThrow(/CHECK constraint failed: error_logs_agent/)
  })
})
