import { AgentStatus } from '@faust/protocol'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { useTestStore } from '@faust/testing/store'
import { sqliteCodeOf } from '../../store/store-failure.js'
import type { Store } from '../../store/store.js'
import { reserveFor, makeRunContext, testTask } from '../test-support/run-context-fixture.js'
import { StaticRunner } from './static-runner.js'

/** Big enough to need new pages, so a database held at its size is full. */
const BIG = 'x'.repeat(64 * 1024)

async function makeRunner(store: Store) {
  const fixture = await makeRunContext(store, testTask({ assignmentDurationSeconds: 60 }))
  const runner = new StaticRunner(fixture.ctx, {
    fetcher: { fetch: () => Promise.resolve() },
    events: { onUnitChanged: () => undefined },
  })
  const agent = await reserveFor(store, fixture.run.unitIds[0] ?? '', {
    workerName: 'alice',
    statuses: runner.unitStatuses,
  })
  await runner.startUnit(agent)
  return { ...fixture, runner, agent }
}

async function submissionRows(store: Store, agentId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from submissions
    where agent_id = ${agentId}`.execute(store.db)
  return rows[0]?.n ?? 0
}

describe('StaticRunner: what a submission becomes (stored_acks)', () => {
  const { store } = useTestStore('memory')

  it('confirms a retry with the same key, or the same data, without storing it again', async () => {
    const { runner, agent } = await makeRunner(store)
    expect(await runner.submit(agent.id, { answer: 1 }, 'key-1')).toEqual({ ok: true })
    expect((await store.submissions.get(agent.id))?.submissionKey).toBe('key-1')
    expect(await runner.submit(agent.id, { answer: 1 }, 'key-1')).toEqual({ ok: true })
    // Another key (a new tab) but the same answer: nothing is lost, so confirmed.
    expect(await runner.submit(agent.id, { answer: 1 }, 'key-2')).toEqual({ ok: true })
    // The key decides even where the data cannot be compared (uploads renamed).
    expect(await runner.submit(agent.id, { answer: 'renamed' }, 'key-1')).toEqual({ ok: true })
    expect(await submissionRows(store, agent.id)).toBe(1)
    expect(await store.logs.listErrorLogs({ kind: 'agent', id: agent.id })).toEqual([])
  })

  it('refuses different data ALREADY_SUBMITTED and keeps it in the error log', async () => {
    const { runner, agent } = await makeRunner(store)
    await runner.submit(agent.id, { answer: 1 }, 'key-1')
    expect(await runner.submit(agent.id, { answer: 2 }, 'key-2')).toMatchObject({
      ok: false,
      code: 'ALREADY_SUBMITTED',
    })
    expect(await runner.submit(agent.id, { answer: 3 }, null)).toMatchObject({
      ok: false,
      code: 'ALREADY_SUBMITTED',
    })
    expect((await store.submissions.get(agent.id))?.data).toEqual({ answer: 1 })
    const logs = await store.logs.listErrorLogs({ kind: 'agent', id: agent.id })
    expect(logs.map((entry) => entry.data)).toEqual([
      { reason: 'different repeated submission', data: { answer: 2 } },
      { reason: 'different repeated submission', data: { answer: 3 } },
    ])
  })

  it('refuses an agent this run never issued AGENT_UNKNOWN, for a unit and for metadata', async () => {
    const { runner } = await makeRunner(store)
    expect(await runner.submit('123456789', { answer: 1 }, 'k')).toMatchObject({
      ok: false,
      code: 'AGENT_UNKNOWN',
    })
    expect(await runner.storeMetadata('123456789', { feedback: 'hi' })).toMatchObject({
      ok: false,
      code: 'AGENT_UNKNOWN',
    })
    expect(await runner.storeMetadata('onboarding_42', { feedback: 'hi' })).toMatchObject({
      ok: false,
      code: 'AGENT_UNKNOWN',
    })
    expect((await store.logs.listErrorLogs()).map((entry) => entry.data)).toEqual([
      { reason: 'submission for an unknown agent', agentId: '123456789', data: { answer: 1 } },
      {
        reason: 'metadata for an unknown agent',
        subjectId: '123456789',
        data: { feedback: 'hi' },
      },
      {
        reason: 'metadata for an unknown agent',
        subjectId: 'onboarding_42',
        data: { feedback: 'hi' },
      },
    ])
  })

  it('stores metadata of its own agent and confirms it', async () => {
    const { runner, agent } = await makeRunner(store)
    expect(await runner.storeMetadata(agent.id, { feedback: 'fine' })).toEqual({ ok: true })
    expect(
      (await store.logs.listMetadata({ kind: 'agent', id: agent.id })).map((entry) => entry.data),
    ).toEqual([{ feedback: 'fine' }])
  })

  it('completes an agent whose row was stored but whose status write failed, on the retry', async () => {
    const { runner, agent, statuses } = await makeRunner(store)
    // The first attempt's row committed; `completed` did not (the disk filled in between).
    await store.submissions.store({ agentId: agent.id, data: { answer: 1 }, submissionKey: 'k' })
    expect(await runner.submit(agent.id, { answer: 1 }, 'k')).toEqual({ ok: true })
    expect((await store.agents.get(agent.id))?.status).toBe(AgentStatus.COMPLETED)
    expect(statuses.of(agent.id)).toEqual([AgentStatus.IN_TASK, AgentStatus.COMPLETED])
    expect(await submissionRows(store, agent.id)).toBe(1)
  })
})

describe('StaticRunner on a full disk (real SQLITE_FULL)', () => {
  const { store } = useTestStore('file')

  it('fails with SQLITE_FULL, leaves the agent in task, and the retry stores it exactly once', async () => {
    const { runner, agent } = await makeRunner(store)
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(store.db)
    await sql.raw(`pragma max_page_count = ${String(rows[0]?.page_count ?? 0)}`).execute(store.db)

    const failed = await runner.submit(agent.id, { text: BIG }, 'key-1').then(
      () => null,
      (error: unknown) => error,
    )
    expect(sqliteCodeOf(failed)).toBe('SQLITE_FULL')
    expect((await store.agents.get(agent.id))?.status).toBe(AgentStatus.IN_TASK)
    expect(await store.submissions.get(agent.id)).toBeNull()

    await sql`pragma max_page_count = 1073741823`.execute(store.db)
    expect(await runner.submit(agent.id, { text: BIG }, 'key-1')).toEqual({ ok: true })
    expect(await runner.submit(agent.id, { text: BIG }, 'key-1')).toEqual({ ok: true })
    expect((await store.agents.get(agent.id))?.status).toBe(AgentStatus.COMPLETED)
    expect(await submissionRows(store, agent.id)).toBe(1)
  })
})
