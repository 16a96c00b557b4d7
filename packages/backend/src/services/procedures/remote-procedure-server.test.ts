import { describe, expect, it } from 'vitest'
import { FakeClock, deferred, within } from '@faust/testing'
import { reservedAgent, useTestStore, type ReservedAgent } from '@faust/testing/store'
import { defineTask } from '../../definition/define-task.js'
import type { RemoteCall, RemoteProcedures } from '../../definition/remote-procedure.js'
import type { CrowdProvider } from '../../providers/crowd-provider.js'
import { silentLogger } from '../../util/logger.js'
import { LiveRunSettings } from '../context/live-run-settings.js'
import type { RunContext } from '../context/run-context.js'
import { MAX_RESPONSE_LENGTH, RemoteProcedureServer } from './remote-procedure-server.js'

const TIMEOUT_SECONDS = 5
const MAX_IN_FLIGHT = 2

/** The answers the server sent to pages, and a way to await the next ones. */
class Answers {
  readonly sent: { subjectId: string; data: Record<string, unknown> }[] = []
  readonly #waiters: { count: number; resolve: () => void }[] = []

  readonly send = (subjectId: string, data: Record<string, unknown>): void => {
    this.sent.push({ subjectId, data })
    for (const waiter of this.#waiters.splice(0)) {
      if (this.sent.length >= waiter.count) waiter.resolve()
      else this.#waiters.push(waiter)
    }
  }

  /** Resolves once `count` answers in all have been sent. */
  async until(count: number): Promise<Answers['sent']> {
    if (this.sent.length < count) {
      await within(
        new Promise<void>((resolve) => this.#waiters.push({ count, resolve })),
        5000,
        `${String(count)} answers`,
      )
    }
    return this.sent
  }

  /** The answer to `requestId`, once sent. */
  async to(requestId: string): Promise<Record<string, unknown>> {
    for (;;) {
      const found = this.sent.find((answer) => answer.data['handles'] === requestId)
      if (found !== undefined) return found.data
      await this.until(this.sent.length + 1)
    }
  }
}

describe('RemoteProcedureServer', () => {
  const test = useTestStore('memory')
  const { store } = test

  async function serve(procedures: RemoteProcedures): Promise<{
    server: RemoteProcedureServer
    answers: Answers
    clock: FakeClock
    agent: ReservedAgent
  }> {
    const agent = await reservedAgent(store)
    const clock = new FakeClock()
    const answers = new Answers()
    const ctx: RunContext = {
      task: defineTask<unknown>({
        name: 't',
        page: 'dist',
        data: [{}],
        taskType: 'remote-procedure',
        remoteProcedures: procedures,
        remoteProcedureTimeoutSeconds: TIMEOUT_SECONDS,
        remoteProcedureMaxInFlight: MAX_IN_FLIGHT,
      }),
      settings: new LiveRunSettings({
        maxConcurrentUnits: 0,
        maximumUnitsPerWorker: 0,
        allowedConcurrent: 0,
        assignmentDurationSeconds: 1800,
        launching: 'open',
      }),
      taskRunId: agent.runId,
      store,
      provider: {} as CrowdProvider,
      clock,
      logger: silentLogger,
      runDir: test.dataDir,
      pushStatus: () => undefined,
    }
    return { server: new RemoteProcedureServer({ ctx, send: answers.send }), answers, clock, agent }
  }

  const call = (
    requestId: string,
    target: unknown,
    args: unknown = '{}',
  ): Record<string, unknown> => ({
    request_id: requestId,
    target,
    args,
  })

  it('tells calls from other live updates by their request_id', () => {
    expect(RemoteProcedureServer.isCall({ request_id: 'r1' })).toBe(true)
    expect(RemoteProcedureServer.isCall({ text: 'hi' })).toBe(false)
  })

  it('calls the procedure with its arguments and caller, answers with the JSON and stores it', async () => {
    const calls: RemoteCall[] = []
    const { server, answers, agent } = await serve({
      add: (args, remote) => {
        calls.push(remote)
        return { sum: Number(args['a']) + Number(args['b']) }
      },
    })
    await server.receive(agent.agentId, call('r1', 'add', '{"a":1,"b":2}'))
    expect(await answers.to('r1')).toEqual({ handles: 'r1', response: '{"sum":3}' })
    expect(answers.sent).toEqual([{ subjectId: agent.agentId, data: expect.anything() as unknown }])
    expect(calls).toMatchObject([
      {
        requestId: 'r1',
        target: 'add',
        agentId: agent.agentId,
        worker: { id: agent.workerId, name: 'w', providerType: 'mock' },
        unit: { id: agent.unitId, unitIndex: 0 },
        onboarding: null,
      },
    ])
    expect(calls[0]?.signal.aborted).toBe(false)
    expect(
      await store.remoteCalls.listForAgent({ kind: 'agent', id: agent.agentId }),
    ).toMatchObject([
      { requestId: 'r1', target: 'add', argsJson: '{"a":1,"b":2}', responseJson: '{"sum":3}' },
    ])
  })

  it('answers UNKNOWN_TARGET for a name no procedure has, and BAD_ARGS for arguments not an object', async () => {
    const { server, answers, agent } = await serve({ echo: (args) => args })
    await server.receive(agent.agentId, call('r1', 'nope'))
    await server.receive(agent.agentId, call('r2', 'echo', '[1]'))
    await server.receive(agent.agentId, call('r3', 'echo', 'not json'))
    expect(await answers.to('r1')).toEqual({
      handles: 'r1',
      error: {
        code: 'UNKNOWN_TARGET',
        message: 'there is no remote procedure named "nope" (known: echo)',
      },
    })
    expect(await answers.to('r2')).toMatchObject({ error: { code: 'BAD_ARGS' } })
    expect(await answers.to('r3')).toMatchObject({ error: { code: 'BAD_ARGS' } })
    const stored = await store.remoteCalls.listForAgent({ kind: 'agent', id: agent.agentId })
    expect(stored.map((record) => record.errorMessage !== null)).toEqual([true, true, true])
  })

  it('answers FAILED with the message of a procedure that throws', async () => {
    const { server, answers, agent } = await serve({
      explode: () => {
        throw new Error('boom')
      },
      reject: () => Promise.reject(new Error('no luck')),
    })
    await server.receive(agent.agentId, call('r1', 'explode'))
    await server.receive(agent.agentId, call('r2', 'reject'))
    expect(await answers.to('r1')).toEqual({
      handles: 'r1',
      error: { code: 'FAILED', message: "the remote procedure 'explode' failed: boom" },
    })
    expect(await answers.to('r2')).toEqual({
      handles: 'r2',
      error: { code: 'FAILED', message: "the remote procedure 'reject' failed: no luck" },
    })
  })

  it('answers FAILED for a result longer than MAX_RESPONSE_LENGTH of JSON, and sends one at the limit', async () => {
    const { server, answers, agent } = await serve({
      // A string's JSON is two quotes longer than the string.
      atLimit: () => 'x'.repeat(MAX_RESPONSE_LENGTH - 2),
      overLimit: () => 'x'.repeat(MAX_RESPONSE_LENGTH - 1),
      notJson: () => 10n,
    })
    await server.receive(agent.agentId, call('r1', 'atLimit'))
    await server.receive(agent.agentId, call('r2', 'overLimit'))
    await server.receive(agent.agentId, call('r3', 'notJson'))
    expect(String((await answers.to('r1'))['response'])).toHaveLength(MAX_RESPONSE_LENGTH)
    expect(await answers.to('r2')).toEqual({
      handles: 'r2',
      error: {
        code: 'FAILED',
        message: `the remote procedure 'overLimit' returned too much data (${String(MAX_RESPONSE_LENGTH + 1)} characters of JSON; at most ${String(MAX_RESPONSE_LENGTH)})`,
      },
    })
    expect(await answers.to('r3')).toEqual({
      handles: 'r3',
      error: {
        code: 'FAILED',
        message: "the remote procedure 'notJson' returned a value that is not JSON",
      },
    })
  })

  it('answers TIMEOUT on the clock, aborts the signal and drops the late result', async () => {
    const late = deferred<string>()
    const entered = deferred<AbortSignal>()
    const { server, answers, clock, agent } = await serve({
      slow: (_args, remote) => {
        entered.resolve(remote.signal)
        return late.promise
      },
      fast: () => 'ok',
    })
    await server.receive(agent.agentId, call('r1', 'slow'))
    const signal = await entered.promise
    clock.advance(TIMEOUT_SECONDS * 1000 - 1)
    expect(answers.sent).toEqual([])
    expect(signal.aborted).toBe(false)

    clock.advance(1)
    const message = `the remote procedure 'slow' did not answer within ${String(TIMEOUT_SECONDS)} s`
    expect(await answers.to('r1')).toEqual({
      handles: 'r1',
      error: { code: 'TIMEOUT', message },
    })
    expect(signal.aborted).toBe(true)

    late.resolve('too late')
    // A call after the late result is answered after it would have been.
    await server.receive(agent.agentId, call('r2', 'fast'))
    await answers.to('r2')
    expect(answers.sent.map((answer) => answer.data['handles'])).toEqual(['r1', 'r2'])
    expect(
      await store.remoteCalls.listForAgent({ kind: 'agent', id: agent.agentId }),
    ).toMatchObject([{ responseJson: null, errorMessage: message }, { responseJson: '"ok"' }])
  })

  it('refuses a call over the agent’s limit in flight, and admits one again after an answer', async () => {
    const pending = [deferred<string>(), deferred<string>()]
    let index = 0
    const { server, answers, agent } = await serve({
      wait: () => pending[index++]?.promise ?? 'third',
    })
    await server.receive(agent.agentId, call('r1', 'wait'))
    await server.receive(agent.agentId, call('r2', 'wait'))
    expect(server.stats()).toEqual({ callers: 1, agentsWithCalls: 1 })
    await server.receive(agent.agentId, call('r3', 'wait'))
    expect(await answers.to('r3')).toEqual({
      handles: 'r3',
      error: {
        code: 'TOO_MANY_CALLS',
        message: `too many calls in flight (at most ${String(MAX_IN_FLIGHT)}); wait for an answer first`,
      },
    })

    pending[0]?.resolve('one')
    expect(await answers.to('r1')).toEqual({ handles: 'r1', response: '"one"' })
    await server.receive(agent.agentId, call('r4', 'wait'))
    expect(await answers.to('r4')).toEqual({ handles: 'r4', response: '"third"' })
    pending[1]?.resolve('two')
    expect(await answers.to('r2')).toEqual({ handles: 'r2', response: '"two"' })
    expect(server.stats()).toEqual({ callers: 1, agentsWithCalls: 0 })
  })

  it('answers NOT_ACTIVE for an agent of no run of its own, or one whose task has ended', async () => {
    const { server, answers, agent } = await serve({ echo: (args) => args })
    await server.receive('no-such-agent', call('r1', 'echo'))
    expect(await answers.to('r1')).toMatchObject({ error: { code: 'NOT_ACTIVE' } })

    await store.agents.setStatus(agent.agentId, 'completed')
    await server.receive(agent.agentId, call('r2', 'echo'))
    expect(await answers.to('r2')).toEqual({
      handles: 'r2',
      error: {
        code: 'NOT_ACTIVE',
        message: 'the task has ended for this agent (status: completed)',
      },
    })
  })

  it('release() drops the cached caller; stats() counts callers and agents with calls', async () => {
    const { server, answers, agent } = await serve({ echo: (args) => args })
    expect(server.stats()).toEqual({ callers: 0, agentsWithCalls: 0 })
    await server.receive(agent.agentId, call('r1', 'echo', '{"a":1}'))
    expect(await answers.to('r1')).toEqual({ handles: 'r1', response: '{"a":1}' })
    expect(server.stats()).toEqual({ callers: 1, agentsWithCalls: 0 })
    server.release(agent.agentId)
    expect(server.stats()).toEqual({ callers: 0, agentsWithCalls: 0 })
    // A later call looks its caller up again.
    await server.receive(agent.agentId, call('r2', 'echo', '{"a":2}'))
    expect(await answers.to('r2')).toEqual({ handles: 'r2', response: '{"a":2}' })
    expect(server.stats()).toEqual({ callers: 1, agentsWithCalls: 0 })
  })

  it('close() answers calls in flight with RUN_ENDED, aborts them, and refuses later calls unstored', async () => {
    const entered = deferred<AbortSignal>()
    const { server, answers, agent } = await serve({
      hang: (_args, remote) => {
        entered.resolve(remote.signal)
        return new Promise(() => undefined)
      },
    })
    await server.receive(agent.agentId, call('r1', 'hang'))
    const signal = await entered.promise
    await server.close()
    // The answer is stored and sent before close() resolves.
    expect(answers.sent).toEqual([
      {
        subjectId: agent.agentId,
        data: { handles: 'r1', error: { code: 'RUN_ENDED', message: 'the task run has ended' } },
      },
    ])
    expect(signal.aborted).toBe(true)
    expect(server.stats()).toEqual({ callers: 1, agentsWithCalls: 0 })

    await server.receive(agent.agentId, call('r2', 'hang'))
    expect(answers.sent[1]?.data).toEqual({
      handles: 'r2',
      error: { code: 'RUN_ENDED', message: 'the task run has ended' },
    })
    const stored = await store.remoteCalls.listForAgent({ kind: 'agent', id: agent.agentId })
    expect(stored.map((record) => record.requestId)).toEqual(['r1'])
  })
})
