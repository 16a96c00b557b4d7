// Concurrent (live) tasks over real sockets: the waiting room, pairing, live
// updates both ways, dropouts, timeouts, crashes, reloads and stop (docs/protocol.md §4.6,
// §5.2, §5.5, §7.3; §11 items 12–13).
import { describe, expect, it } from 'vitest'
import { AgentStatus, FailureReason } from '@faust/protocol'
import {
  AgentDisconnectedError,
  AgentShutdownError,
  AgentTimeoutError,
  type LiveAssignmentContext,
  type TaskOptions,
} from '@faust/backend'
import { UnitStatus } from '@faust/backend/store'
import { deferred, within, type TestAgent } from '@faust/testing'
import {
  openHarness,
  statusPushed,
  WAIT_MS,
  type Harness,
  type RunSession,
} from '@faust/testing/backend'

const POLL_MS = 4000
/** The router's reconnect grace after a socket closes (its default). */
const GRACE_MS = 10_000

/** A router whose heartbeat rule never fires on its own: these pages do not heartbeat. */
function harness(): Promise<Harness> {
  return openHarness({ heartbeatTimeoutMs: 24 * 3600_000 })
}

/** A two-worker chat task over `run`. */
function chat(
  run: (context: LiveAssignmentContext) => Promise<void>,
  options: Partial<TaskOptions> = {},
): Partial<TaskOptions> {
  return {
    name: 'chat',
    taskType: 'concurrent',
    unitsPerAssignment: 2,
    data: [{ topic: 'cats' }],
    waitingRoomSeconds: 60,
    submissionTimeoutSeconds: 120,
    run,
    ...options,
  }
}

/** Registers `worker` and opens its page; resolves once the page has seen `status`. */
async function join(
  h: Harness,
  s: RunSession,
  worker: string,
  status: AgentStatus,
): Promise<{ agentId: string; page: TestAgent; initTaskData: unknown }> {
  const answer = await s.register(worker)
  expect(answer.failure_reason).toBeNull()
  const page = await h.t.connectAgent(answer.agent_id!)
  page.alive()
  await statusPushed(page, status)
  return { agentId: answer.agent_id!, page, initTaskData: answer.init_task_data }
}

/** The next `client_bound_live_update` data this page receives. */
async function liveUpdateTo(page: TestAgent): Promise<Record<string, unknown>> {
  const packet = await page.next('client_bound_live_update')
  return packet.data as Record<string, unknown>
}

describe('a concurrent task', () => {
  it('keeps the first worker waiting, starts both together, relays live updates both ways, completes on submit', async () => {
    await using h = await harness()
    const started = deferred<LiveAssignmentContext>()
    const finish = deferred<undefined>()
    let calls = 0
    const s = await h.startRun(
      chat(async (context) => {
        calls += 1
        started.resolve(context)
        const [first, second] = context.agents
        await first!.observe({ text: 'welcome' })
        const said = await first!.receive({ timeoutSeconds: 60 })
        await second!.observe({ text: said['text'], sender: 'partner' })
        await finish.promise
      }),
    )
    const a = await join(h, s, 'w1', AgentStatus.WAITING)
    expect(a.initTaskData).toEqual({ task_data: { topic: 'cats' }, past_live_updates: [] })
    expect((await h.store.agents.get(a.agentId))?.status).toBe(AgentStatus.WAITING)
    expect(calls).toBe(0)

    const b = await join(h, s, 'w2', AgentStatus.IN_TASK)
    await statusPushed(a.page, AgentStatus.IN_TASK)
    const context = await within(started.promise, WAIT_MS, 'run to be called')
    expect(context.agents.map((agent) => agent.id)).toEqual([a.agentId, b.agentId])
    expect(context.agents[0]!.worker.name).toBe('w1_sandbox')
    expect(context.assignment.data).toEqual({ topic: 'cats' })

    const welcome = await liveUpdateTo(a.page)
    expect(welcome).toMatchObject({ text: 'welcome' })
    expect(typeof welcome['update_id']).toBe('string')
    a.page.sendLiveUpdate({ text: 'hello partner' })
    expect(await liveUpdateTo(b.page)).toMatchObject({ text: 'hello partner', sender: 'partner' })

    finish.resolve(undefined)
    expect(await liveUpdateTo(a.page)).toMatchObject({ task_data: { task_done: true } })
    expect(await liveUpdateTo(b.page)).toMatchObject({ task_data: { task_done: true } })
    const done = s.progressWhere((progress) => progress.done)
    await s.submit(a.agentId, { rating: 5 })
    await s.submit(b.agentId, { rating: 4 })
    expect(await done).toMatchObject({ completed: 2, expired: 0 })
    // The router forgets a page once it submits (docs/protocol.md §3.4): the status is checked in the store.
    for (const { agentId } of [a, b]) {
      expect((await h.store.agents.history(agentId)).map((change) => change.status)).toEqual([
        AgentStatus.ACCEPTED,
        AgentStatus.WAITING,
        AgentStatus.IN_TASK,
        AgentStatus.COMPLETED,
      ])
    }
    expect((await h.store.submissions.get(a.agentId))?.data).toEqual({ rating: 5 })
    // The results carry each worker's side of the conversation.
    const results = await h.store.results.exportSubmissions({ taskName: 'chat' })
    const first = results.find((result) => result.agentId === a.agentId)
    expect(
      first?.liveUpdates?.map(({ direction, data }) => [
        direction,
        data['text'] ?? data['task_data'],
      ]),
    ).toEqual([
      ['to_agent', 'welcome'],
      ['from_agent', 'hello partner'],
      ['to_agent', { task_done: true }],
    ])
  })

  it('releases a worker nobody joined within the waiting room time and offers the unit again', async () => {
    await using h = await harness()
    let runs = 0
    const s = await h.startRun(
      chat(async () => {
        runs += 1
        await Promise.resolve()
      }),
    )
    const a = await join(h, s, 'w1', AgentStatus.WAITING)
    const released = s.progressWhere((progress) => progress.launched === 2)
    h.t.clock.advance(60_000)
    await statusPushed(a.page, AgentStatus.EXPIRED)
    await released
    const record = await h.store.agents.get(a.agentId)
    expect(record?.status).toBe(AgentStatus.EXPIRED)
    expect((await h.store.units.get(record!.unitId))?.status).toBe(UnitStatus.LAUNCHED)
    expect(runs).toBe(0)
    // The released worker cannot come back as the same agent…
    expect(await s.register('w1')).toMatchObject({ failure_reason: FailureReason.TASK_MISSING })
    // …and two new workers get both units and start.
    const b = await join(h, s, 'w2', AgentStatus.WAITING)
    await join(h, s, 'w3', AgentStatus.IN_TASK)
    await statusPushed(b.page, AgentStatus.IN_TASK)
  })

  it('frees the unit of a waiting worker who leaves, so nobody is paired with an absent partner', async () => {
    await using h = await harness()
    const started = deferred<LiveAssignmentContext>()
    const s = await h.startRun(
      chat(async (context) => {
        started.resolve(context)
        await Promise.resolve()
      }),
    )
    const a = await join(h, s, 'w1', AgentStatus.WAITING)
    await a.page.close()
    const released = s.progressWhere((progress) => progress.launched === 2)
    h.t.clock.advance(GRACE_MS + POLL_MS)
    await released
    const record = await h.store.agents.get(a.agentId)
    expect(record?.status).toBe(AgentStatus.DISCONNECT)
    expect((await h.store.units.get(record!.unitId))?.status).toBe(UnitStatus.LAUNCHED)

    const b = await join(h, s, 'w2', AgentStatus.WAITING)
    const c = await join(h, s, 'w3', AgentStatus.IN_TASK)
    await statusPushed(b.page, AgentStatus.IN_TASK)
    const context = await within(started.promise, WAIT_MS, 'run to be called')
    expect(context.agents.map((agent) => agent.id).sort()).toEqual([b.agentId, c.agentId].sort())
  })

  it('tells the partner of a worker who disconnects mid-task, and stores the partner’s submission', async () => {
    await using h = await harness()
    const failure = deferred<unknown>()
    const s = await h.startRun(
      chat(async ({ agents, signal }) => {
        try {
          await agents[0]!.receive()
        } catch (error) {
          failure.resolve({ error, aborted: signal.aborted })
          throw error
        }
      }),
    )
    const a = await join(h, s, 'w1', AgentStatus.WAITING)
    const b = await join(h, s, 'w2', AgentStatus.IN_TASK)
    await a.page.close()
    h.t.clock.advance(GRACE_MS + POLL_MS)
    await statusPushed(b.page, AgentStatus.PARTNER_DISCONNECT)
    const { error, aborted } = (await within(failure.promise, WAIT_MS, 'the receive to fail')) as {
      error: unknown
      aborted: boolean
    }
    expect(error).toBeInstanceOf(AgentDisconnectedError)
    expect(error).toMatchObject({ agentId: a.agentId, status: AgentStatus.DISCONNECT })
    expect(aborted).toBe(true)
    const dropped = await h.store.agents.get(a.agentId)
    expect(dropped?.status).toBe(AgentStatus.DISCONNECT)
    expect((await h.store.units.get(dropped!.unitId))?.status).toBe(UnitStatus.EXPIRED)

    const done = s.progressWhere((progress) => progress.done)
    await s.submit(b.agentId, { note: 'partner left' })
    expect(await done).toMatchObject({ completed: 1, expired: 1 })
    expect((await h.store.submissions.get(b.agentId))?.data).toEqual({ note: 'partner left' })
    expect((await h.store.agents.get(b.agentId))?.status).toBe(AgentStatus.COMPLETED)
    expect(h.logger.errors()).toEqual([])
  })

  it('times out a worker who sends nothing within receive’s timeout; the partner is told; a silent partner times out too', async () => {
    await using h = await harness()
    const failure = deferred<unknown>()
    const s = await h.startRun(
      chat(async ({ agents }) => {
        await agents[0]!.receive({ timeoutSeconds: 30 }).catch((error: unknown) => {
          failure.resolve(error)
        })
      }),
    )
    const a = await join(h, s, 'w1', AgentStatus.WAITING)
    const b = await join(h, s, 'w2', AgentStatus.IN_TASK)
    h.t.clock.advance(30_000)
    await statusPushed(a.page, AgentStatus.TIMEOUT)
    await statusPushed(b.page, AgentStatus.PARTNER_DISCONNECT)
    expect(await within(failure.promise, WAIT_MS, 'the receive to fail')).toBeInstanceOf(
      AgentTimeoutError,
    )
    expect((await h.store.agents.get(a.agentId))?.status).toBe(AgentStatus.TIMEOUT)
    // The partner never submits: after the submission timeout it times out too.
    const done = s.progressWhere((progress) => progress.done)
    h.t.clock.advance(120_000)
    await statusPushed(b.page, AgentStatus.TIMEOUT)
    expect(await done).toMatchObject({ completed: 0, expired: 2 })
  })

  it('ends the waits on a worker who submits mid-run; a rethrown agent error ends run normally', async () => {
    await using h = await harness()
    const failure = deferred<unknown>()
    const s = await h.startRun(
      chat(async ({ agents }) => {
        await agents[0]!.receive().catch((error: unknown) => {
          failure.resolve(error)
          throw error
        })
      }),
    )
    const a = await join(h, s, 'w1', AgentStatus.WAITING)
    const b = await join(h, s, 'w2', AgentStatus.IN_TASK)
    await s.submit(a.agentId, { early: true })
    const error = await within(failure.promise, WAIT_MS, 'the receive to fail')
    expect(error).toBeInstanceOf(AgentDisconnectedError)
    expect(error).toMatchObject({ agentId: a.agentId, status: AgentStatus.COMPLETED })
    // Not a crash: the partner is asked to submit, not expired.
    expect(await liveUpdateTo(b.page)).toMatchObject({ task_data: { task_done: true } })
    const done = s.progressWhere((progress) => progress.done)
    await s.submit(b.agentId, { late: false })
    expect(await done).toMatchObject({ completed: 2, expired: 0 })
    expect(h.logger.errors()).toEqual([])
  })

  it('ends an assignment whose run function throws (agents expired, error logged with their ids) and keeps serving others', async () => {
    await using h = await harness()
    let calls = 0
    const s = await h.startRun(
      chat(
        async () => {
          calls += 1
          await Promise.resolve()
          if (calls === 1) throw new Error('task bug')
        },
        { data: [{ topic: 'cats' }, { topic: 'dogs' }] },
      ),
    )
    const crashLog = h.logger.next('run function threw')
    const a = await join(h, s, 'w1', AgentStatus.WAITING)
    // The run fails at once: the second page may only ever see the end.
    const b = await join(h, s, 'w2', AgentStatus.EXPIRED)
    await statusPushed(a.page, AgentStatus.IN_TASK)
    await statusPushed(a.page, AgentStatus.EXPIRED)
    const line = await crashLog
    expect(line.details).toMatchObject({ agentIds: [a.agentId, b.agentId] })
    for (const agentId of [a.agentId, b.agentId]) {
      const record = await h.store.agents.get(agentId)
      expect((await h.store.units.get(record!.unitId))?.status).toBe(UnitStatus.EXPIRED)
    }

    const c = await join(h, s, 'w3', AgentStatus.WAITING)
    const d = await join(h, s, 'w4', AgentStatus.IN_TASK)
    await liveUpdateTo(c.page) // task_done
    const done = s.progressWhere((progress) => progress.done)
    await s.submit(c.agentId, { ok: true })
    await s.submit(d.agentId, { ok: true })
    expect(await done).toMatchObject({ completed: 2, expired: 2 })
    expect(calls).toBe(2)
  })

  it('gives a reloaded page the same agent and every past live update, in order', async () => {
    await using h = await harness()
    const heard = deferred<undefined>()
    const s = await h.startRun(
      chat(async ({ agents, signal }) => {
        const [first] = agents
        await first!.observe({ text: 'hello from the task' })
        await first!.receive()
        heard.resolve(undefined)
        await new Promise((resolve) => signal.addEventListener('abort', resolve))
      }),
    )
    const a = await join(h, s, 'w1', AgentStatus.WAITING)
    await join(h, s, 'w2', AgentStatus.IN_TASK)
    await liveUpdateTo(a.page)
    a.page.sendLiveUpdate({ text: 'hello from the worker' })
    await within(heard.promise, WAIT_MS, 'the worker’s message')

    // The page reloads: the same registration id, a new socket.
    await a.page.close()
    const again = await s.register('w1')
    expect(again.agent_id).toBe(a.agentId)
    const { task_data: taskData, past_live_updates: past } = again.init_task_data as {
      task_data: unknown
      past_live_updates: Record<string, unknown>[]
    }
    expect(taskData).toEqual({ topic: 'cats' })
    expect(past.map((update) => update['text'])).toEqual([
      'hello from the task',
      'hello from the worker',
    ])
    for (const update of past) {
      expect(typeof update['update_id']).toBe('string')
      expect(update['timestamp']).toBe(h.t.clock.now() / 1000)
    }
    const page = await h.t.connectAgent(a.agentId)
    page.alive()
    await statusPushed(page, AgentStatus.IN_TASK)
  })

  it('answers remote procedure calls of a concurrent task itself; run only hears the chat', async () => {
    await using h = await harness()
    const heard = deferred<Record<string, unknown>>()
    const s = await h.startRun(
      chat(
        async ({ agents }) => {
          heard.resolve(await agents[0]!.receive({ timeoutSeconds: 60 }))
        },
        { remoteProcedures: { echo: ({ text }) => ({ said: text }) } },
      ),
    )
    const a = await join(h, s, 'w1', AgentStatus.WAITING)
    // A call while waiting is answered at once; a call is not a chat message.
    a.page.sendLiveUpdate({
      request_id: 'r1',
      target: 'echo',
      args: '{"text":"hi"}',
      update_id: 'u1',
    })
    expect(await liveUpdateTo(a.page)).toMatchObject({ handles: 'r1', response: '{"said":"hi"}' })
    await join(h, s, 'w2', AgentStatus.IN_TASK)
    await statusPushed(a.page, AgentStatus.IN_TASK)
    a.page.sendLiveUpdate({ request_id: 'r2', target: 'echo', args: '{"text":"again"}' })
    expect(await liveUpdateTo(a.page)).toMatchObject({ handles: 'r2' })
    a.page.sendLiveUpdate({ text: 'hello partner' })
    expect(await within(heard.promise, WAIT_MS, 'run to hear the chat')).toMatchObject({
      text: 'hello partner',
    })
    const calls = await h.store.remoteCalls.listForAgent({ kind: 'agent', id: a.agentId })
    expect(calls.map((call) => [call.requestId, call.responseJson])).toEqual([
      ['r1', '{"said":"hi"}'],
      ['r2', '{"said":"again"}'],
    ])
    // The calls are not part of the conversation the agent sent.
    const sent = (await h.store.liveUpdates.list(a.agentId)).filter(
      (update) => update.direction === 'from_agent',
    )
    expect(sent.map((update) => update.data['text'])).toEqual(['hello partner'])
  })

  it('ends live assignments on stop: pages told, waits end with AgentShutdownError, units expired', async () => {
    await using h = await harness()
    const failure = deferred<unknown>()
    const s = await h.startRun(
      chat(
        async ({ agents }) => {
          await agents[1]!.receive().catch((error: unknown) => {
            failure.resolve(error)
          })
        },
        { data: [{ topic: 'cats' }, { topic: 'dogs' }] },
      ),
    )
    const a = await join(h, s, 'w1', AgentStatus.WAITING)
    const b = await join(h, s, 'w2', AgentStatus.IN_TASK)
    const c = await join(h, s, 'w3', AgentStatus.WAITING)
    const progress = await s.run.stop()
    expect(await within(failure.promise, WAIT_MS, 'the receive to fail')).toBeInstanceOf(
      AgentShutdownError,
    )
    for (const page of [a.page, b.page, c.page]) await statusPushed(page, AgentStatus.EXPIRED)
    expect(progress).toMatchObject({ done: true, completed: 0, expired: 4 })
  })
})
