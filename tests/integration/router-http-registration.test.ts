// Held registrations: POST /request_agent and /submit_onboarding (docs/protocol.md §2.3-2.5, docs/protocol.md §3.2-3.3, docs/protocol.md W4).
import { describe, expect, it } from 'vitest'
import { FailureReason } from '@faust/protocol'
import { startTestRouter } from '@faust/testing'
import {
  agentDetails,
  errorBody,
  expectNothingRelayed,
  postJson,
  providerData,
  registerAgent,
  sequentialIds,
  wireNow,
} from '@faust/testing/http'

describe('POST /request_agent', () => {
  it('sends register_agent with exactly the reference keys and answers with the whole agent_details', async () => {
    await using t = await startTestRouter({ generateId: sequentialIds() })
    const backend = await t.connectBackend()
    const provider = { ...providerData('w1'), provider_type: 'mock', extra: { kept: [1, 2] } }
    const response = postJson(t, '/request_agent', {
      provider_data: provider,
      client_timestamp: 1767225599.5,
    })
    const request = await backend.next('register_agent')
    expect(request).toStrictEqual({
      packet_type: 'register_agent',
      subject_id: 'req-1',
      data: { provider_data: provider, request_id: 'req-1' },
      client_timestamp: 1767225599.5,
      router_incoming_timestamp: wireNow(t),
      router_outgoing_timestamp: wireNow(t),
    })
    const details = agentDetails('local_channel_1_0', {
      request_id: 'req-1',
      worker_id: 'worker-7',
      agent_id: '1001',
      init_task_data: { task: { text: 'label this' }, nested: [null, true] },
      failure_reason: null,
    })
    t.clock.advance(250)
    backend.send(details)
    const answer = await response
    expect(answer.status).toBe(200)
    expect(answer.contentType).toMatch(/^application\/json/)
    expect(answer.body).toStrictEqual({ ...details, router_incoming_timestamp: wireNow(t) })
  })

  it('sends client_timestamp null when the page sent none', async () => {
    await using t = await startTestRouter({ generateId: sequentialIds() })
    const backend = await t.connectBackend()
    const response = postJson(t, '/request_agent', { provider_data: providerData('w1') })
    const request = await backend.next('register_agent')
    expect(request['client_timestamp']).toBeNull()
    backend.answer(request, { agentId: '1001' })
    expect((await response).status).toBe(200)
  })

  it('matches an agent_details without data.request_id (absent or null) by its subject_id', async () => {
    await using t = await startTestRouter({ generateId: sequentialIds() })
    const backend = await t.connectBackend()
    const first = postJson(t, '/request_agent', { provider_data: providerData('w1') })
    await backend.next('register_agent')
    const second = postJson(t, '/request_agent', { provider_data: providerData('w2') })
    await backend.next('register_agent')
    const absent = agentDetails('req-1', {
      worker_id: 'wk1',
      agent_id: '1001',
      init_task_data: null,
    })
    const nulled = agentDetails('req-2', {
      request_id: null,
      worker_id: 'wk2',
      agent_id: '1002',
      init_task_data: null,
      failure_reason: null,
    })
    backend.send(nulled)
    backend.send(absent)
    const [answer1, answer2] = [await first, await second]
    expect([answer1.status, answer1.body]).toStrictEqual([
      200,
      { ...absent, router_incoming_timestamp: wireNow(t) },
    ])
    expect([answer2.status, answer2.body]).toStrictEqual([
      200,
      { ...nulled, router_incoming_timestamp: wireNow(t) },
    ])
  })

  it('answers 503 BACKEND_UNAVAILABLE at once when no backend is attached', async () => {
    await using t = await startTestRouter()
    const response = await postJson(t, '/request_agent', { provider_data: providerData('w1') })
    expect(response.status).toBe(503)
    expect(response.body).toEqual(errorBody('BACKEND_UNAVAILABLE'))
    expect(t.router.stats().pendingRequests).toBe(0)
  })

  it('answers 504 TIMEOUT when the backend stays silent, and drops a late agent_details harmlessly', async () => {
    await using t = await startTestRouter({ requestTimeoutMs: 2000, generateId: sequentialIds() })
    const backend = await t.connectBackend()
    const response = postJson(t, '/request_agent', { provider_data: providerData('w1') })
    const request = await backend.next('register_agent')
    t.clock.advance(1999)
    expect(t.router.stats().pendingRequests).toBe(1)
    t.clock.advance(1)
    const timedOut = await response
    expect(timedOut.status).toBe(504)
    expect(timedOut.body).toEqual(errorBody('TIMEOUT'))
    expect(t.router.stats().pendingRequests).toBe(0)

    backend.answer(request, { agentId: 'late-1' })
    await expectNothingRelayed(backend)
    expect(backend.socket.readyState).toBe(backend.socket.OPEN)
    expect(t.logger.lines.filter((line) => line.level === 'error')).toEqual([])
    // The router still serves the next registration normally.
    await registerAgent(t, backend, '1002')
  })

  it('answers two concurrent requests each with its own agent_details, whatever the order', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    const first = postJson(t, '/request_agent', { provider_data: providerData('w1') })
    const second = postJson(t, '/request_agent', { provider_data: providerData('w2') })
    const requests = [await backend.next('register_agent'), await backend.next('register_agent')]
    const byWorker = (worker: string) =>
      requests.find(
        (request) =>
          (request.data as { provider_data: { worker_name: string } }).provider_data.worker_name ===
          worker,
      )!
    expect(byWorker('w1').subject_id).not.toBe(byWorker('w2').subject_id)
    backend.answer(byWorker('w2'), { agentId: 'agent-w2', workerId: 'worker-2' })
    backend.answer(byWorker('w1'), { agentId: 'agent-w1', workerId: 'worker-1' })
    const [answer1, answer2] = await Promise.all([first, second])
    expect(answer1.status).toBe(200)
    expect(answer1.body).toMatchObject({
      data: { request_id: byWorker('w1').subject_id, agent_id: 'agent-w1', worker_id: 'worker-1' },
    })
    expect(answer2.status).toBe(200)
    expect(answer2.body).toMatchObject({
      data: { request_id: byWorker('w2').subject_id, agent_id: 'agent-w2', worker_id: 'worker-2' },
    })
  })

  it('relays a refused registration as is', async () => {
    await using t = await startTestRouter({ generateId: sequentialIds() })
    const backend = await t.connectBackend()
    const response = postJson(t, '/request_agent', { provider_data: providerData('w1') })
    await backend.next('register_agent')
    const refusal = agentDetails('local_channel_1_0', {
      request_id: 'req-1',
      worker_id: null,
      agent_id: null,
      init_task_data: null,
      failure_reason: FailureReason.NOT_QUALIFIED,
    })
    backend.send(refusal)
    const answer = await response
    expect(answer.status).toBe(200)
    expect(answer.body).toStrictEqual({ ...refusal, router_incoming_timestamp: wireNow(t) })
  })

  it.each([
    ['worker_name is missing', { agent_registration_id: 'a1' }],
    ['worker_name is empty', { worker_name: '', agent_registration_id: 'a1' }],
    ['agent_registration_id is missing', { worker_name: 'w1' }],
    ['provider_data is not an object', 'w1'],
  ])('answers 400 PACKET_INVALID and relays nothing when %s', async (_, provider) => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    const response = await postJson(t, '/request_agent', { provider_data: provider })
    expect(response.status).toBe(400)
    expect(response.body).toEqual(errorBody('PACKET_INVALID'))
    await expectNothingRelayed(backend)
  })
})

describe('POST /submit_onboarding', () => {
  it('sends submit_onboarding for the onboarding agent and answers with the following agent_details', async () => {
    await using t = await startTestRouter({ generateId: sequentialIds() })
    const backend = await t.connectBackend()
    await registerAgent(t, backend, 'onboarding_1')
    t.clock.advance(5000)
    const response = postJson(t, '/submit_onboarding', {
      provider_data: { USED_AGENT_ID: 'onboarding_1', onboarding_data: { answer: 42 } },
      client_timestamp: 1767225605,
    })
    const submission = await backend.next('submit_onboarding')
    expect(submission).toStrictEqual({
      packet_type: 'submit_onboarding',
      subject_id: 'onboarding_1',
      data: { onboarding_data: { answer: 42 }, request_id: 'req-2' },
      client_timestamp: 1767225605,
      router_incoming_timestamp: wireNow(t),
      router_outgoing_timestamp: wireNow(t),
    })
    const details = agentDetails('local_channel_1_0', {
      request_id: 'req-2',
      worker_id: 'worker-1',
      agent_id: '1001',
      init_task_data: { real: 'task' },
      failure_reason: null,
    })
    backend.send(details)
    const answer = await response
    expect(answer.status).toBe(200)
    expect(answer.body).toStrictEqual({ ...details, router_incoming_timestamp: wireNow(t) })
  })

  it('defaults onboarding_data to {}', async () => {
    await using t = await startTestRouter({ generateId: sequentialIds() })
    const backend = await t.connectBackend()
    await registerAgent(t, backend, 'onboarding_1')
    const response = postJson(t, '/submit_onboarding', {
      provider_data: { USED_AGENT_ID: 'onboarding_1' },
    })
    const submission = await backend.next('submit_onboarding')
    expect(submission.data).toStrictEqual({ onboarding_data: {}, request_id: 'req-2' })
    expect(submission['client_timestamp']).toBeNull()
    backend.answer(submission, { agentId: '1001' })
    expect((await response).status).toBe(200)
  })

  it('answers 403 AGENT_UNKNOWN for an onboarding id the backend never issued', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    await registerAgent(t, backend, 'onboarding_1')
    const response = await postJson(t, '/submit_onboarding', {
      provider_data: { USED_AGENT_ID: 'onboarding_2', onboarding_data: {} },
    })
    expect(response.status).toBe(403)
    expect(response.body).toEqual(errorBody('AGENT_UNKNOWN'))
    await expectNothingRelayed(backend)
  })

  it('answers 400 PACKET_INVALID and relays nothing without USED_AGENT_ID', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    const response = await postJson(t, '/submit_onboarding', {
      provider_data: { onboarding_data: {} },
    })
    expect(response.status).toBe(400)
    expect(response.body).toEqual(errorBody('PACKET_INVALID'))
    await expectNothingRelayed(backend)
  })
})
