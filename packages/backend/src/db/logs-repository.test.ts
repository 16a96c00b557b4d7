import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { systemClock } from '@faust/protocol'
import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AgentRef } from './agent-ref.js'
import { openDatabase } from './open-database.js'
import type { Store } from './store.js'

describe.each(['file', 'memory'] as const)('LogsRepository (%s)', (mode) => {
  let dataDir: string
  let store: Store
  let now: number
  let agent: AgentRef
  let onboarding: AgentRef
  beforeEach(async () => {
    now = 1_000
    dataDir = await mkdtemp(join(tmpdir(), 'faust-db-'))
    const clock = { ...systemClock, now: () => now }
    store = await openDatabase({ dataDir, memory: mode === 'memory', clock })
    const run = await store.taskRuns.create({
      task: { name: 't', taskType: 'static' },
      providerType: 'mock',
      config: {},
      assignments: [{ sharedData: {}, units: [{ pay: 1 }] }],
    })
    const runId = run.ok ? run.value.run.id : ''
    const unitId = run.ok ? run.value.assignments[0]!.units[0]!.id : ''
    await store.units.launch([unitId])
    const worker = await store.workers.findOrCreate({ providerType: 'mock', workerName: 'w' })
    const reserved = await store.agents.reserveUnit({ unitIds: [unitId], workerId: worker.id })
    agent = { kind: 'agent', id: reserved.ok ? reserved.value.agent.id : '' }
    const taker = await store.onboardingAgents.create({ workerId: worker.id, taskRunId: runId })
    onboarding = { kind: 'onboarding', id: taker.id }
  })
  afterEach(async () => {
    await store.close()
    await rm(dataDir, { recursive: true, force: true })
  })

  it('keeps metadata per agent of either kind, oldest first', async () => {
    await store.logs.addMetadata(agent, { step: 1 })
    now = 2_000
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
