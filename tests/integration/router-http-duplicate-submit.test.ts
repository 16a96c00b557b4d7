// A second POST /submit_task of the same agent (docs/protocol.md §3.4): an
// identical retry stays 200 (idempotent); other data is 409 ALREADY_SUBMITTED
// and never relayed, where the reference answered 200 and dropped it.
import { describe, expect, it } from 'vitest'
import { startTestRouter } from '@faust/testing'
import {
  errorBody,
  expectNothingRelayed,
  postForm,
  postJson,
  registerAgent,
} from '@faust/testing/http'
import { nextCall, openHarness } from '@faust/testing/backend'

const SUBMITTED = { status: 'Submitted!' }

describe('a second submission of the same agent', () => {
  it('with other data is answered 409 ALREADY_SUBMITTED and not relayed', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    await registerAgent(t, backend, '1001')
    const first = await postJson(t, '/submit_task', { USED_AGENT_ID: '1001', final_data: { n: 1 } })
    expect([first.status, first.body]).toEqual([200, SUBMITTED])
    expect((await backend.next('submit_unit')).data).toEqual({ n: 1 })

    const other = await postJson(t, '/submit_task', { USED_AGENT_ID: '1001', final_data: { n: 2 } })
    expect(other.status).toBe(409)
    expect(other.body).toEqual(errorBody('ALREADY_SUBMITTED'))
    await expectNothingRelayed(backend)
  })

  it('identical (keys in another order) is answered 200 again and relayed as before', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    await registerAgent(t, backend, '1001')
    await postJson(t, '/submit_task', { USED_AGENT_ID: '1001', final_data: { a: 1, b: [2] } })
    const retry = await postJson(t, '/submit_task', {
      USED_AGENT_ID: '1001',
      final_data: { b: [2], a: 1 },
    })
    expect([retry.status, retry.body]).toEqual([200, SUBMITTED])
    expect((await backend.next('submit_unit')).data).toEqual({ a: 1, b: [2] })
    expect((await backend.next('submit_unit')).data).toEqual({ b: [2], a: 1 })
  })

  it('identical with the same files is 200 (upload names differ); another file is 409', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    await registerAgent(t, backend, '1001')
    const form = (content: string): FormData => {
      const body = new FormData()
      body.set('USED_AGENT_ID', '1001')
      body.set('final_string_data', JSON.stringify({ label: 'x' }))
      body.append('shot', new Blob([content]), 'shot.png')
      return body
    }
    expect((await postForm(t, '/submit_task', form('abc'))).status).toBe(200)
    expect((await postForm(t, '/submit_task', form('xyz'))).status).toBe(200)
    const bigger = await postForm(t, '/submit_task', form('abcd'))
    expect([bigger.status, bigger.body]).toEqual([409, errorBody('ALREADY_SUBMITTED')])
  })

  it('is remembered for submittedAgentTtlMs only, and not at all with maxSubmittedAgents 0', async () => {
    await using t = await startTestRouter({ submittedAgentTtlMs: 60_000 })
    const backend = await t.connectBackend()
    await registerAgent(t, backend, '1001')
    await postJson(t, '/submit_task', { USED_AGENT_ID: '1001', final_data: { n: 1 } })
    t.clock.advance(59_999)
    expect(
      (await postJson(t, '/submit_task', { USED_AGENT_ID: '1001', final_data: { n: 2 } })).status,
    ).toBe(409)
    t.clock.advance(1)
    expect(
      (await postJson(t, '/submit_task', { USED_AGENT_ID: '1001', final_data: { n: 3 } })).status,
    ).toBe(200)

    await using off = await startTestRouter({ maxSubmittedAgents: 0 })
    const offBackend = await off.connectBackend()
    await registerAgent(off, offBackend, '2001')
    await postJson(off, '/submit_task', { USED_AGENT_ID: '2001', final_data: { n: 1 } })
    expect(
      (await postJson(off, '/submit_task', { USED_AGENT_ID: '2001', final_data: { n: 2 } })).status,
    ).toBe(200)
  })

  it('forgets the oldest agent first beyond maxSubmittedAgents', async () => {
    await using t = await startTestRouter({ maxSubmittedAgents: 1 })
    const backend = await t.connectBackend()
    await registerAgent(t, backend, '1001')
    await registerAgent(t, backend, '1002')
    await postJson(t, '/submit_task', { USED_AGENT_ID: '1001', final_data: { n: 1 } })
    await postJson(t, '/submit_task', { USED_AGENT_ID: '1002', final_data: { n: 1 } })
    expect(
      (await postJson(t, '/submit_task', { USED_AGENT_ID: '1002', final_data: { n: 2 } })).status,
    ).toBe(409)
    expect(
      (await postJson(t, '/submit_task', { USED_AGENT_ID: '1001', final_data: { n: 2 } })).status,
    ).toBe(200)
  })
})

describe('with a real backend', () => {
  it('keeps the first submission: other data is 409 through the router', async () => {
    await using h = await openHarness()
    const s = await h.startRun()
    const agent = await s.register('w1')
    const completed = s.progressWhere((progress) => progress.completed === 1)
    expect((await s.submit(agent.agent_id!, { n: 1 })).status).toBe(200)
    await completed
    const second = await s.submit(agent.agent_id!, { n: 2 })
    expect([second.status, second.body]).toEqual([409, errorBody('ALREADY_SUBMITTED')])
    expect((await h.store.submissions.get(agent.agent_id!))?.data).toEqual({ n: 1 })
  })

  it('stores two simultaneous identical submits once, both answered 200, nothing in the error log', async () => {
    await using h = await openHarness()
    const s = await h.startRun()
    const agent = await s.register('w1')
    const handled = nextCall(h.store.logs, 'addMetadata')
    const answers = await Promise.all([
      s.submit(agent.agent_id!, { n: 1 }),
      s.submit(agent.agent_id!, { n: 1 }),
    ])
    expect(answers.map((answer) => answer.status)).toEqual([200, 200])
    // Metadata is handled after the agent's submits: both have been handled.
    await h.t.post('/submit_metadata', { USED_AGENT_ID: agent.agent_id, metadata: {} })
    await handled
    expect((await h.store.submissions.get(agent.agent_id!))?.data).toEqual({ n: 1 })
    expect((await s.run.progress()).completed).toBe(1)
    expect(await h.store.logs.listErrorLogs()).toEqual([])
  })

  it('refuses other data loudly in the backend too when the router does not check (error log, warning)', async () => {
    await using h = await openHarness({ maxSubmittedAgents: 0 })
    const s = await h.startRun()
    const agent = await s.register('w1')
    const completed = s.progressWhere((progress) => progress.completed === 1)
    await s.submit(agent.agent_id!, { n: 1 })
    await completed
    const refused = h.logger.next('repeated submission with different data refused')
    // Faust's backend confirms what it stored (stored_acks, issue 11): the
    // worker is told the truth (409) instead of an OK for dropped data.
    expect((await s.submit(agent.agent_id!, { n: 2 })).status).toBe(409)
    expect((await refused).level).toBe('warn')
    expect((await h.store.submissions.get(agent.agent_id!))?.data).toEqual({ n: 1 })
    const logs = await h.store.logs.listErrorLogs()
    expect(logs.map((log) => log.data)).toEqual([
      { reason: 'different repeated submission', data: { n: 2 } },
    ])
  })
})
