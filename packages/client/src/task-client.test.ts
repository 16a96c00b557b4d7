import { describe, expect, it } from 'vitest'
import { FailureReason } from '@faust/protocol/constants'
import { ClientError } from './client-error.js'
import { TASK_CONFIG, agentDetails, register, settle, setup } from '@faust/testing/client'

describe('loading and registration', () => {
  it('loads task_config.json with the version, registers and becomes ready', async () => {
    const t = setup()
    const started = t.client.start()
    const config = await t.http.next()
    expect(config.method).toBe('GET')
    expect(config.url.href).toBe(
      'http://localhost:3000/task_config.json?mephisto_task_version=2.0.4',
    )
    config.respond(200, TASK_CONFIG)
    const registration = await t.http.next()
    expect(registration.url.pathname).toBe('/request_agent')
    expect(registration.headers).toEqual({ 'content-type': 'application/json' })
    expect(registration.body).toEqual({
      provider_data: {
        worker_name: 'worker-1',
        agent_registration_id: 'assignment-1-worker-1',
        assignment_id: 'assignment-1',
        provider_type: 'mock',
      },
      client_timestamp: t.clock.now() / 1000,
    })
    expect(t.client.getSnapshot()).toMatchObject({ status: 'loading', taskConfig: TASK_CONFIG })
    registration.respond(200, agentDetails('agent-1', { initTaskData: { text: 'hello' } }))
    expect(await started).toEqual({
      status: 'ready',
      providerWorkerId: 'worker-1',
      assignmentId: 'assignment-1',
      isPreview: false,
      taskConfig: TASK_CONFIG,
      mephistoWorkerId: 'mephisto-worker-1',
      agentId: 'agent-1',
      mephistoAgentId: 'agent-1',
      isOnboarding: false,
      initialTaskData: { text: 'hello' },
      blockedReason: null,
      blockedExplanation: null,
      loaded: true,
      error: null,
    })
    expect(t.warnings).toEqual([])
  })

  it('returns the same run when started twice and keeps the snapshot stable', async () => {
    const t = setup()
    const first = t.client.start()
    expect(t.client.start()).toBe(first)
    const before = t.client.getSnapshot()
    expect(t.client.getSnapshot()).toBe(before)
    ;(await t.http.next()).respond(200, TASK_CONFIG)
    ;(await t.http.next()).respond(200, agentDetails('agent-1'))
    await first
    expect(t.http.requests).toHaveLength(2)
    expect(t.client.getSnapshot()).not.toBe(before)
  })

  it('notifies subscribers on every change and not after unsubscribing', async () => {
    const t = setup()
    const statuses: string[] = []
    const unsubscribe = t.client.subscribe(() => statuses.push(t.client.getSnapshot().status))
    await register(t)
    expect(statuses.at(-1)).toBe('ready')
    unsubscribe()
    const count = statuses.length
    t.client.stop()
    await t.client.retry()
    expect(statuses).toHaveLength(count)
  })

  it('marks an onboarding agent', async () => {
    const t = setup()
    await register(t, agentDetails('onboarding_77', { initTaskData: { quiz: 1 } }))
    expect(t.client.getSnapshot()).toMatchObject({
      status: 'ready',
      agentId: 'onboarding_77',
      isOnboarding: true,
      initialTaskData: { quiz: 1 },
    })
  })

  it('shows the backend failure_reason verbatim when it refuses the worker', async () => {
    const t = setup()
    await register(
      t,
      agentDetails(null, { failureReason: FailureReason.NO_AVAILABLE_UNITS, workerId: 'w-9' }),
    )
    expect(t.client.getSnapshot()).toMatchObject({
      status: 'blocked',
      agentId: null,
      mephistoWorkerId: 'w-9',
      isOnboarding: false,
      blockedReason: 'null_agent_id',
      blockedExplanation: 'There is currently no available work, please try again later...',
      loaded: false,
    })
  })

  it('falls back to the generic text when a refusal has no failure_reason', async () => {
    const t = setup()
    await register(t, agentDetails(null, { workerId: null }))
    expect(t.client.getSnapshot().blockedExplanation).toBe(
      'Sorry, you are not able to work on this task. (code: null_agent_id)',
    )
  })

  it('never registers a preview', async () => {
    const t = setup({ assignmentId: null })
    const started = t.client.start()
    ;(await t.http.next()).respond(200, TASK_CONFIG)
    expect(await started).toMatchObject({
      status: 'preview',
      isPreview: true,
      providerWorkerId: 'worker-1',
      assignmentId: null,
      loaded: true,
      taskConfig: TASK_CONFIG,
    })
    expect(t.http.requests).toHaveLength(1)
  })

  it('blocks phones when block_mobile is set, without registering', async () => {
    const t = setup({ userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)' })
    const started = t.client.start()
    ;(await t.http.next()).respond(200, { ...TASK_CONFIG, block_mobile: true })
    expect(await started).toMatchObject({
      status: 'blocked',
      blockedReason: 'no_mobile',
      blockedExplanation:
        'Sorry, this task cannot be completed on mobile devices. Please use a computer.',
    })
    expect(t.http.requests).toHaveLength(1)
  })

  it('blocks a live task without WebSockets before registering, with the text', async () => {
    const t = setup({ live: true, WebSocket: null })
    const started = t.client.start()
    ;(await t.http.next()).respond(200, TASK_CONFIG)
    expect(await started).toMatchObject({
      status: 'blocked',
      blockedReason: 'no_websockets',
      blockedExplanation:
        'Sorry, your browser does not support the required version of websockets for this task. Please upgrade to a modern browser.',
    })
    expect(t.http.requests).toHaveLength(1)
  })

  it('warns when the router expects another mephisto-task version', async () => {
    const t = setup()
    const started = t.client.start()
    ;(await t.http.next()).respond(200, { ...TASK_CONFIG, mephisto_task_version: '2.0.3' })
    ;(await t.http.next()).respond(200, agentDetails('agent-1'))
    await started
    expect(t.warnings).toEqual([
      'The router expects mephisto-task 2.0.3; this client speaks 2.0.4.',
    ])
  })

  it("adds the provider's URL parameters to every request, over its own", async () => {
    const t = setup()
    const t2 = setup({
      provider: {
        getWorkerName: () => 'w',
        getAssignmentId: () => 'a',
        getAgentRegistration: () => ({ worker_name: 'w', agent_registration_id: 'a-w' }),
        handleSubmitToProvider: () => undefined,
        getProviderURLParams: () => ({ mephisto_task_version: 'x', study: 7 }),
      },
    })
    void t.client.start()
    void t2.client.start()
    expect((await t2.http.next()).url.search).toBe('?mephisto_task_version=x&study=7')
  })
})

describe('registration errors', () => {
  it('retries network errors and 5xx with backoff on the injected clock', async () => {
    const t = setup()
    const started = t.client.start()
    ;(await t.http.next()).respond(200, TASK_CONFIG)
    ;(await t.http.next()).fail()
    await settle()
    expect(t.http.requests).toHaveLength(2)
    t.clock.advance(999)
    await settle()
    expect(t.http.requests).toHaveLength(2)
    t.clock.advance(1)
    ;(await t.http.next()).respond(503, {
      error: { code: 'BACKEND_UNAVAILABLE', message: 'no backend is attached to the router' },
    })
    await settle()
    t.clock.advance(2000)
    ;(await t.http.next()).respond(200, agentDetails('agent-1'))
    expect((await started).status).toBe('ready')
    expect(t.http.requests).toHaveLength(4)
  })

  it('times out a registration the router holds, and retries it', async () => {
    const t = setup({ requestTimeoutMs: 5000, maxAttempts: 2 })
    const started = t.client.start()
    ;(await t.http.next()).respond(200, TASK_CONFIG)
    const held = await t.http.next()
    t.clock.advance(5000)
    expect(held.signal?.aborted).toBe(true)
    await settle()
    t.clock.advance(1000)
    const again = await t.http.next()
    t.clock.advance(5000)
    const state = await started
    expect(again.url.pathname).toBe('/request_agent')
    expect(state.status).toBe('error')
    expect(state.error).toMatchObject({
      code: 'TIMEOUT',
      message: 'no answer from the server within 5000 ms',
    })
  })

  it("turns a router's JSON error into an error state, and retry() starts over", async () => {
    const t = setup()
    const started = t.client.start()
    ;(await t.http.next()).respond(200, TASK_CONFIG)
    ;(await t.http.next()).respond(400, {
      error: { code: 'PACKET_INVALID', message: 'provider_data.worker_name: is required' },
    })
    const state = await started
    expect(state.status).toBe('error')
    expect(state.loaded).toBe(false)
    expect(state.error).toBeInstanceOf(ClientError)
    expect(state.error).toMatchObject({
      code: 'PACKET_INVALID',
      status: 400,
      retryable: false,
      message: 'provider_data.worker_name: is required',
    })
    expect(t.http.requests).toHaveLength(2)
    const retried = t.client.retry()
    expect(t.client.getSnapshot()).toMatchObject({ status: 'loading', error: null })
    ;(await t.http.next()).respond(200, TASK_CONFIG)
    ;(await t.http.next()).respond(200, agentDetails('agent-1'))
    expect((await retried).status).toBe('ready')
  })

  it('gives up after maxAttempts retryable failures', async () => {
    const t = setup({ maxAttempts: 3, retryDelayMs: () => 10 })
    const started = t.client.start()
    ;(await t.http.next()).respond(200, TASK_CONFIG)
    for (let i = 0; i < 3; i++) {
      ;(await t.http.next()).respond(502, '<html>Bad gateway</html>')
      await settle()
      t.clock.advance(10)
    }
    const state = await started
    expect(state.error).toMatchObject({
      code: 'HTTP',
      status: 502,
      message: 'the server answered HTTP 502',
    })
    expect(t.http.requests).toHaveLength(4)
  })

  it('reports a registration answer without agent details', async () => {
    const t = setup()
    await register(t, { status: 'odd' })
    expect(t.client.getSnapshot().error).toMatchObject({ code: 'BAD_RESPONSE' })
  })

  it('stop() aborts the run, leaves the state, and the next start() begins again', async () => {
    const t = setup()
    void t.client.start()
    const config = await t.http.next()
    t.client.stop()
    expect(config.signal?.aborted).toBe(true)
    await settle()
    expect(t.client.getSnapshot()).toMatchObject({ status: 'loading', error: null })
    const again = t.client.start()
    ;(await t.http.next()).respond(200, TASK_CONFIG)
    ;(await t.http.next()).respond(200, agentDetails('agent-1'))
    expect((await again).status).toBe('ready')
  })
})

describe('submissions', () => {
  it('submits JSON final data, then tells the provider', async () => {
    const t = setup()
    await register(t)
    const done = t.client.submit({ answer: 42 })
    const request = await t.http.next()
    expect(request.url.pathname).toBe('/submit_task')
    expect(request.body).toEqual({
      USED_AGENT_ID: 'agent-1',
      final_data: { answer: 42 },
      client_timestamp: t.clock.now() / 1000,
    })
    expect(t.submitted).toEqual([])
    request.respond(200, { status: 'Submitted!' })
    await done
    expect(t.submitted).toEqual([{ answer: 42 }])
  })

  it('submits files as multipart with final_string_data', async () => {
    const t = setup()
    await register(t)
    const photo = new Blob(['png-bytes'], { type: 'image/png' })
    const done = t.client.submitTask(
      { caption: 'cat' },
      { files: { photo, extra: [photo, photo] } },
    )
    const request = await t.http.next()
    const form = request.body as FormData
    // No content-type (fetch sets the multipart boundary); the key of issue 11.
    expect(request.headers).toEqual({ 'idempotency-key': expect.any(String) as unknown })
    expect(form.get('USED_AGENT_ID')).toBe('agent-1')
    expect(form.get('final_string_data')).toBe('{"caption":"cat"}')
    expect(form.get('client_timestamp')).toBe(String(t.clock.now() / 1000))
    expect(form.getAll('photo')).toHaveLength(1)
    expect(form.getAll('extra')).toHaveLength(2)
    request.respond(200, { status: 'Submitted!' })
    expect(await done).toEqual({ status: 'Submitted!' })
    expect(t.submitted).toEqual([{ caption: 'cat' }])
  })

  it('completes a FormData the page built, as mephisto-core does', async () => {
    const t = setup()
    await register(t)
    const form = new FormData()
    form.set('final_string_data', '{"a":1}')
    const done = t.client.submit(form)
    const request = await t.http.next()
    expect(request.body).toBe(form)
    expect(form.get('USED_AGENT_ID')).toBe('agent-1')
    request.respond(200, { status: 'Submitted!' })
    await done
    expect(t.submitted).toEqual(['{"a":1}'])
  })

  it('does not tell the provider when the submission fails', async () => {
    const t = setup()
    await register(t)
    const done = t.client.submit({ answer: 1 })
    ;(await t.http.next()).respond(403, {
      error: { code: 'AGENT_UNKNOWN', message: 'this agent id was not issued by the backend' },
    })
    await expect(done).rejects.toMatchObject({ code: 'AGENT_UNKNOWN', status: 403 })
    expect(t.submitted).toEqual([])
  })

  it('rejects a submission before registration', async () => {
    const t = setup()
    await expect(t.client.submit({})).rejects.toMatchObject({ code: 'NOT_REGISTERED' })
    await expect(t.client.submitMetadata({ type: 'tips' })).rejects.toMatchObject({
      code: 'NOT_REGISTERED',
    })
  })

  it('submits onboarding answers and becomes the real agent', async () => {
    const t = setup()
    await register(t, agentDetails('onboarding_5', { initTaskData: { quiz: true } }))
    const done = t.client.submit({ answers: [1, 2] })
    const request = await t.http.next()
    expect(request.url.pathname).toBe('/submit_onboarding')
    expect(request.body).toEqual({
      provider_data: { USED_AGENT_ID: 'onboarding_5', onboarding_data: { answers: [1, 2] } },
      client_timestamp: t.clock.now() / 1000,
    })
    request.respond(200, agentDetails('agent-6', { initTaskData: { task: 'real' } }))
    await done
    expect(t.client.getSnapshot()).toMatchObject({
      status: 'ready',
      agentId: 'agent-6',
      mephistoAgentId: 'agent-6',
      isOnboarding: false,
      initialTaskData: { task: 'real' },
    })
    expect(t.submitted).toEqual([])
  })

  it('is blocked after failing onboarding, with the backend text', async () => {
    const t = setup()
    await register(t, agentDetails('onboarding_5'))
    const done = t.client.submitOnboarding({ answers: [] })
    ;(await t.http.next()).respond(
      200,
      agentDetails(null, { failureReason: FailureReason.NOT_QUALIFIED }),
    )
    expect(await done).toMatchObject({
      status: 'blocked',
      agentId: null,
      isOnboarding: false,
      blockedReason: 'null_agent_id',
      blockedExplanation: 'You are not currently qualified to work on this task...',
    })
  })

  it('builds metadata as { [item.type]: item } over the items with a type', async () => {
    const t = setup()
    await register(t)
    const done = t.client.submitMetadata(
      { type: 'feedback', text: 'nice' },
      { text: 'no type' },
      null,
      { type: 'tips', header: 'h' },
    )
    const request = await t.http.next()
    expect(request.body).toEqual({
      USED_AGENT_ID: 'agent-1',
      metadata: {
        feedback: { type: 'feedback', text: 'nice' },
        tips: { type: 'tips', header: 'h' },
      },
      client_timestamp: t.clock.now() / 1000,
    })
    request.respond(200, { status: 'Submitted metadata' })
    expect(await done).toEqual({ status: 'Submitted metadata' })
  })

  it('logs errors, also before registration', async () => {
    const t = setup()
    const early = t.client.logError({ error: 'boom' })
    const request = await t.http.next()
    expect(request.url.pathname).toBe('/log_error')
    expect(request.body).toEqual({
      USED_AGENT_ID: null,
      error_data: { error: 'boom' },
      client_timestamp: t.clock.now() / 1000,
    })
    request.respond(200, { status: 'Error log sent!' })
    expect(await early).toEqual({ status: 'Error log sent!' })
  })
})
