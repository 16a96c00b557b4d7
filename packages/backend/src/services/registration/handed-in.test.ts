import { AgentStatus } from '@faust/protocol'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { useTestStore } from '@faust/testing/store'
import type { TaskOptions } from '../../definition/define-task.js'
import { sqliteCodeOf } from '../../store/store-failure.js'
import type { Store } from '../../store/store.js'
import { setOnboardingStatus } from '../context/agent-statuses.js'
import type { RunContext } from '../context/run-context.js'
import { makeRunContext, providerData, testTask } from '../test-support/run-context-fixture.js'
import type { AgentStarter } from './agent-starter.js'
import { WorkerPool } from './worker-pool.js'

/** Starts nothing but onboarding, which goes `onboarding` as a runner's would. */
class QuietStarter implements AgentStarter {
  readonly unitStatuses = [AgentStatus.ACCEPTED, AgentStatus.IN_TASK] as const
  readonly #ctx: RunContext
  constructor(ctx: RunContext) {
    this.#ctx = ctx
  }
  startUnit(): Promise<void> {
    return Promise.resolve()
  }
  async startOnboarding(onboardingId: string): Promise<void> {
    await setOnboardingStatus(this.#ctx, onboardingId, AgentStatus.ONBOARDING)
  }
  stopOnboardingDeadline(): void {
    // no deadlines here
  }
}

async function makePool(store: Store, options: Partial<TaskOptions> = {}) {
  const fixture = await makeRunContext(store, testTask(options))
  const pool = new WorkerPool(fixture.ctx, new QuietStarter(fixture.ctx))
  return { ...fixture, pool }
}

async function handIn(store: Store, agentId: string, data: unknown): Promise<void> {
  await store.submissions.store({ agentId, data })
  await store.agents.setStatus(agentId, AgentStatus.COMPLETED)
}

describe('WorkerPool: a reload of an agent that handed in (docs/protocol.md §4.5)', () => {
  const { store } = useTestStore('memory')

  it('carries the stored status, and not the answer unless the task shows it', async () => {
    const { pool } = await makePool(store)
    const first = await pool.register(providerData('alice'), 'req-1')
    const agentId = first.details.agent_id ?? ''
    const working = await pool.register(providerData('alice'), 'req-2')
    expect(working.details).not.toHaveProperty('agent_status')
    await handIn(store, agentId, { answer: 42 })
    const again = await pool.register(providerData('alice'), 'req-3')
    expect(again.details).toMatchObject({
      agent_id: agentId,
      failure_reason: null,
      agent_status: AgentStatus.COMPLETED,
    })
    expect(again.details).not.toHaveProperty('submitted_data')
  })

  it('carries the stored answer with showSubmittedAnswer', async () => {
    const { pool } = await makePool(store, { showSubmittedAnswer: true })
    const first = await pool.register(providerData('alice'), 'req-1')
    const agentId = first.details.agent_id ?? ''
    await handIn(store, agentId, { answer: 42 })
    expect((await pool.register(providerData('alice'), 'req-2')).details).toMatchObject({
      agent_id: agentId,
      agent_status: AgentStatus.COMPLETED,
      submitted_data: { answer: 42 },
    })
  })
})

describe('WorkerPool: onboarding answers on a full disk (real SQLITE_FULL)', () => {
  const { store } = useTestStore('file')
  const onboarding = {
    data: { quiz: 'say yes' },
    validate: ({ outputs }: { outputs: unknown }) =>
      (outputs as { answer?: string }).answer === 'yes',
  }

  it('answers only once the answers are stored; a failed store can be retried', async () => {
    const { pool } = await makePool(store, { onboarding })
    const registered = await pool.register(providerData('alice'), 'req-1')
    await registered.start?.()
    const subjectId = registered.details.agent_id ?? ''
    const onboardingId = subjectId.replace(/^onboarding_/, '')
    const answers = { answer: 'yes', essay: 'x'.repeat(64 * 1024) }

    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(store.db)
    await sql.raw(`pragma max_page_count = ${String(rows[0]?.page_count ?? 0)}`).execute(store.db)
    const failed = await pool.submitOnboarding(subjectId, answers, 'submit-1').then(
      () => null,
      (error: unknown) => error,
    )
    expect(sqliteCodeOf(failed)).toBe('SQLITE_FULL')
    expect((await store.onboardingAgents.get(onboardingId))?.submitted).toBe(false)

    await sql`pragma max_page_count = 1073741823`.execute(store.db)
    const passed = await pool.submitOnboarding(subjectId, answers, 'submit-2')
    expect(passed.details).toMatchObject({ request_id: 'submit-2', failure_reason: null })
    expect(passed.details.agent_id).not.toBeNull()
    expect(await store.onboardingAgents.get(onboardingId)).toMatchObject({
      status: AgentStatus.APPROVED,
      outputs: answers,
    })
  })
})
