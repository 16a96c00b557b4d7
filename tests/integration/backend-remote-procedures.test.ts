// Remote procedures through the real router, served by `runTask`, called by
// `@faust/client` in Node (and by a raw page socket for what a client never
// sends): docs/protocol.md §7.4, with the error channel and timeout the reference lacks (docs/protocol.md W20).
import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { AgentStatus } from '@faust/protocol'
import { createTaskClient, type TaskClient } from '@faust/client'
import { MAX_RESPONSE_LENGTH, type RemoteCall, type TaskOptions } from '@faust/backend'
import { deferred, within, type AnyPacket, type TestAgent } from '@faust/testing'
import { WAIT_MS, openHarness, statusPushed, type Harness } from '@faust/testing/backend'

/** A page for worker `<worker>` on assignment `asg` (so a harness `register` is its reload). */
async function openPage(h: Harness, worker: string): Promise<TaskClient> {
  const client = createTaskClient({
    baseUrl: h.t.router.url,
    fetch,
    WebSocket,
    live: true,
    provider: {
      getWorkerName: () => worker,
      getAssignmentId: () => 'asg',
      getAgentRegistration: () => ({
        worker_name: worker,
        agent_registration_id: `asg-${worker}`,
        assignment_id: 'asg',
        provider_type: 'mock',
      }),
      handleSubmitToProvider: () => undefined,
      getProviderURLParams: () => null,
    },
  })
  const state = await within(client.start(), WAIT_MS, 'registration')
  expect(state.status).toBe('ready')
  client.live.connect()
  await within(
    new Promise<void>((resolve) => {
      const check = (): void => {
        if (client.live.getSnapshot().connectionStatus !== 'connected') return
        stop()
        resolve()
      }
      const stop = client.live.subscribe(check)
      check()
    }),
    WAIT_MS,
    'the live connection',
  )
  return client
}

/** Sends a raw call from a page socket and returns the answer's data. */
async function rawCall(
  page: TestAgent,
  data: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  page.sendLiveUpdate({ update_id: crypto.randomUUID(), ...data })
  const answer: AnyPacket = await page.next(
    'client_bound_live_update',
    (packet) => (packet.data as { handles?: unknown }).handles === data['request_id'],
  )
  return answer.data as Record<string, unknown>
}

const add = ({ a, b }: Record<string, unknown>, call: RemoteCall) => ({
  sum: Number(a) + Number(b),
  item: call.unit?.data,
  worker: call.worker.name,
  agentId: call.agentId,
})

const withProcedures = (options: Partial<TaskOptions> = {}): Partial<TaskOptions> => ({
  remoteProcedures: {
    add,
    fail: () => {
      throw new Error('no negatives')
    },
    huge: () => 'x'.repeat(MAX_RESPONSE_LENGTH),
    cyclic: () => {
      const value: Record<string, unknown> = {}
      value['self'] = value
      return value
    },
  },
  ...options,
})

describe('remote procedures', () => {
  it('answers a call with the result as JSON, told who calls, and stores call and answer', async () => {
    await using h = await openHarness()
    const s = await h.startRun(withProcedures())
    const client = await openPage(h, 'w1')
    const agentId = client.getSnapshot().agentId!
    const answer = await within(
      client.live.remoteProcedure('add')({ a: 2, b: 3 }),
      WAIT_MS,
      'the answer',
    )
    expect(answer).toEqual({ sum: 5, item: { text: 'a' }, worker: 'w1_sandbox', agentId })
    expect(await h.store.remoteCalls.listForAgent({ kind: 'agent', id: agentId })).toEqual([
      {
        requestId: expect.any(String) as string,
        target: 'add',
        argsJson: '{"a":2,"b":3}',
        responseJson: JSON.stringify(answer),
        errorMessage: null,
        requestedAt: h.t.clock.now(),
        answeredAt: h.t.clock.now(),
      },
    ])
    // A static task with procedures keeps the plain item as init data.
    expect((await s.register('w1')).init_task_data).toEqual({ text: 'a' })
    // The calls come with the submission in the results.
    const completed = s.progressWhere((progress) => progress.completed === 1)
    await within(client.submit({ checked: true }), WAIT_MS, 'the submission')
    await completed
    const [result] = await h.store.results.exportSubmissions({ taskName: 'label' })
    expect(result?.remoteCalls).toMatchObject([{ target: 'add', argsJson: '{"a":2,"b":3}' }])
    client.stop()
  })

  it('answers a throwing procedure and an unknown target with an error, and keeps serving', async () => {
    await using h = await openHarness()
    await h.startRun(withProcedures())
    const client = await openPage(h, 'w1')
    const failing = client.live.call('fail', {})
    await expect(within(failing, WAIT_MS, 'the error')).rejects.toMatchObject({
      code: 'REMOTE',
      remoteCode: 'FAILED',
      message: "the remote procedure 'fail' failed: no negatives",
    })
    await expect(
      within(client.live.call('divide', {}), WAIT_MS, 'the error'),
    ).rejects.toMatchObject({
      code: 'REMOTE',
      remoteCode: 'UNKNOWN_TARGET',
      message: 'there is no remote procedure named "divide" (known: add, fail, huge, cyclic)',
    })
    // A result that cannot be sent (not JSON, or too big for a frame) is an error too.
    await expect(
      within(client.live.call('cyclic', {}), WAIT_MS, 'the error'),
    ).rejects.toMatchObject({
      remoteCode: 'FAILED',
      message: "the remote procedure 'cyclic' returned a value that is not JSON",
    })
    await expect(within(client.live.call('huge', {}), WAIT_MS, 'the error')).rejects.toMatchObject({
      remoteCode: 'FAILED',
      message: expect.stringMatching(
        /^the remote procedure 'huge' returned too much data/,
      ) as string,
    })
    expect(
      await within(client.live.call('add', { a: 1, b: 1 }), WAIT_MS, 'a result'),
    ).toMatchObject({ sum: 2 })
    const agentId = client.getSnapshot().agentId!
    const stored = await h.store.remoteCalls.listForAgent({ kind: 'agent', id: agentId })
    expect(stored.map((call) => [call.target, call.errorMessage === null])).toEqual([
      ['fail', false],
      ['divide', false],
      ['cyclic', false],
      ['huge', false],
      ['add', true],
    ])
    expect(stored[0]?.errorMessage).toBe("the remote procedure 'fail' failed: no negatives")
    client.stop()
  })

  it('refuses args that are not a JSON string of an object', async () => {
    await using h = await openHarness()
    const s = await h.startRun(withProcedures())
    const { agent_id: agentId } = await s.register('w1')
    await using page = await h.t.connectAgent(agentId!)
    page.alive()
    const cases: [unknown, string][] = [
      ['{not json', 'args is not valid JSON'],
      ['[1,2]', 'args must be a JSON object'],
      ['null', 'args must be a JSON object'],
      [{ a: 1 }, 'args must be a JSON string of an object'],
      [undefined, 'args must be a JSON string of an object'],
    ]
    for (const [args, message] of cases) {
      const answer = await rawCall(page, { request_id: crypto.randomUUID(), target: 'add', args })
      expect(answer).toEqual({
        handles: expect.any(String) as string,
        error: { message, code: 'BAD_ARGS' },
        update_id: expect.any(String) as string,
      })
    }
    const ok = await rawCall(page, { request_id: 'r-ok', target: 'add', args: '{"a":1,"b":2}' })
    expect(JSON.parse(String(ok['response']))).toMatchObject({ sum: 3 })
    expect(ok['error']).toBeUndefined()
  })

  it('answers a call that outlives its timeout with an error, and aborts its signal', async () => {
    await using h = await openHarness()
    const entered = deferred<AbortSignal>()
    await h.startRun({
      remoteProcedures: {
        slow: (_args, call) => {
          entered.resolve(call.signal)
          return new Promise(() => undefined)
        },
      },
      remoteProcedureTimeoutSeconds: 2,
    })
    const client = await openPage(h, 'w1')
    const slow = client.live.call('slow', {})
    const signal = await within(entered.promise, WAIT_MS, 'the call')
    h.t.clock.advance(1999)
    expect(signal.aborted).toBe(false)
    h.t.clock.advance(1)
    expect(signal.aborted).toBe(true)
    await expect(within(slow, WAIT_MS, 'the timeout')).rejects.toMatchObject({
      code: 'REMOTE',
      remoteCode: 'TIMEOUT',
      message: "the remote procedure 'slow' did not answer within 2 s",
    })
    client.stop()
  })

  it("serves one agent's calls concurrently, and refuses calls beyond its limit at once", async () => {
    await using h = await openHarness()
    const limit = 5
    let inside = 0
    const allInside = deferred<void>()
    const release = deferred<void>()
    await h.startRun({
      remoteProcedures: {
        wait: async ({ n }) => {
          inside += 1
          if (inside === limit) allInside.resolve()
          await release.promise
          return n
        },
      },
      remoteProcedureMaxInFlight: limit,
    })
    const client = await openPage(h, 'w1')
    const calls = Array.from({ length: limit }, (_, n) => client.live.call('wait', { n }))
    // Every call is inside its procedure at once: none waits for another.
    await within(allInside.promise, WAIT_MS, `${String(limit)} calls in flight`)
    await expect(
      within(client.live.call('wait', { n: 99 }), WAIT_MS, 'a refusal'),
    ).rejects.toMatchObject({
      remoteCode: 'TOO_MANY_CALLS',
      message: 'too many calls in flight (at most 5); wait for an answer first',
    })
    release.resolve()
    expect(await within(Promise.all(calls), WAIT_MS, 'the answers')).toEqual([0, 1, 2, 3, 4])
    // Answered calls free their places.
    expect(await within(client.live.call('wait', { n: 7 }), WAIT_MS, 'a later call')).toBe(7)
    client.stop()
  })

  it('serves an onboarding agent, which has no unit but its onboarding data', async () => {
    await using h = await openHarness()
    const s = await h.startRun({
      remoteProcedures: {
        whoami: (_args, call) => ({
          unit: call.unit,
          onboarding: call.onboarding,
          id: call.agentId,
        }),
      },
      onboarding: { data: { quiz: 1 }, validate: () => true },
    })
    const { agent_id: agentId } = await s.register('w1')
    expect(agentId).toMatch(/^onboarding_/)
    await using page = await h.t.connectAgent(agentId!)
    page.alive()
    await statusPushed(page, AgentStatus.ONBOARDING)
    const answer = await rawCall(page, { request_id: 'r1', target: 'whoami', args: '{}' })
    expect(JSON.parse(String(answer['response']))).toEqual({
      unit: null,
      onboarding: { data: { quiz: 1 } },
      id: agentId,
    })
    // Once the onboarding is over, its agent's calls are refused. The router
    // forgets the agent's socket on submit (docs/protocol.md §3.3): the page connects again.
    await s.submitOnboarding(agentId!, {})
    await using again = await h.t.connectAgent(agentId!)
    again.alive()
    const late = await rawCall(again, { request_id: 'r2', target: 'whoami', args: '{}' })
    expect(late['error']).toEqual({
      message: 'the task has ended for this agent (status: approved)',
      code: 'NOT_ACTIVE',
    })
  })

  it('refuses a call after the unit was submitted', async () => {
    await using h = await openHarness()
    const s = await h.startRun(withProcedures())
    const { agent_id: agentId } = await s.register('w1')
    await using page = await h.t.connectAgent(agentId!)
    page.alive()
    await statusPushed(page, AgentStatus.IN_TASK)
    const completed = s.progressWhere((progress) => progress.completed === 1)
    await s.submit(agentId!, { done: true })
    await completed
    // The router forgets the agent's socket on submit (docs/protocol.md §3.4): the page connects again.
    await using again = await h.t.connectAgent(agentId!)
    again.alive()
    const late = await rawCall(again, { request_id: 'r1', target: 'add', args: '{"a":1,"b":1}' })
    expect(late['error']).toEqual({
      message: 'the task has ended for this agent (status: completed)',
      code: 'NOT_ACTIVE',
    })
    expect(
      (await h.store.remoteCalls.listForAgent({ kind: 'agent', id: agentId! })).map(
        (call) => call.errorMessage,
      ),
    ).toEqual(['the task has ended for this agent (status: completed)'])
  })

  it("gives a 'remote-procedure' page {task_data, previous_requests}, with every call on a reload", async () => {
    await using h = await openHarness()
    const s = await h.startRun(withProcedures({ taskType: 'remote-procedure' }))
    const client = await openPage(h, 'w1')
    expect(client.getSnapshot().initialTaskData).toEqual({
      task_data: { text: 'a' },
      previous_requests: [],
    })
    const requestedAt = h.t.clock.now() / 1000
    const answer = await within(client.live.call('add', { a: 1, b: 2 }), WAIT_MS, 'an answer')
    await expect(within(client.live.call('fail', {}), WAIT_MS, 'an error')).rejects.toThrow()
    client.stop()

    const reload = await s.register('w1')
    expect(reload.init_task_data).toEqual({
      task_data: { text: 'a' },
      previous_requests: [
        {
          uuid: expect.any(String) as string,
          target: 'add',
          args_json: '{"a":1,"b":2}',
          response_json: JSON.stringify(answer),
          timestamp: requestedAt,
        },
        {
          uuid: expect.any(String) as string,
          target: 'fail',
          args_json: '{}',
          response_json: null,
          timestamp: requestedAt,
        },
      ],
    })
  })

  it("wraps a 'remote-procedure' onboarding's data too, with its own calls", async () => {
    await using h = await openHarness()
    const s = await h.startRun(
      withProcedures({
        taskType: 'remote-procedure',
        onboarding: { data: { quiz: 1 }, validate: () => true },
      }),
    )
    const answer = await s.register('w1')
    expect(answer.init_task_data).toEqual({ task_data: { quiz: 1 }, previous_requests: [] })
    await using page = await h.t.connectAgent(answer.agent_id!)
    page.alive()
    await rawCall(page, { request_id: 'r1', target: 'add', args: '{"a":1,"b":1}' })
    const reload = await s.register('w1')
    expect(reload.init_task_data).toMatchObject({
      task_data: { quiz: 1 },
      previous_requests: [{ uuid: 'r1', target: 'add', args_json: '{"a":1,"b":1}' }],
    })
    // The unit after onboarding starts with no calls of its own.
    const passed = await s.submitOnboarding(answer.agent_id!, {})
    expect(passed.init_task_data).toEqual({ task_data: { text: 'a' }, previous_requests: [] })
  })

  it('answers calls in flight when the run stops', async () => {
    await using h = await openHarness()
    const entered = deferred<AbortSignal>()
    const s = await h.startRun({
      remoteProcedures: {
        slow: (_args, call) => {
          entered.resolve(call.signal)
          return new Promise(() => undefined)
        },
      },
    })
    const client = await openPage(h, 'w1')
    const slow = client.live.call('slow', {})
    const signal = await within(entered.promise, WAIT_MS, 'the call')
    const stopped = s.run.stop()
    await expect(within(slow, WAIT_MS, 'the answer')).rejects.toMatchObject({
      remoteCode: 'RUN_ENDED',
      message: 'the task run has ended',
    })
    expect(signal.aborted).toBe(true)
    await stopped
    client.stop()
  })
})
