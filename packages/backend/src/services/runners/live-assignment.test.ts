import { AgentStatus } from '@faust/protocol'
import { deferred } from '@faust/testing'
import { describe, expect, it, vi } from 'vitest'
import { AgentDisconnectedError, AgentShutdownError } from '../../definition/agent-errors.js'
import type { LiveAssignmentContext, LiveTaskSettings } from '../../definition/live-task-options.js'
import type { Store } from '../../store/store.js'
import { useTestStore } from '@faust/testing/store'
import { UnitStatus } from '../../store/unit-status.js'
import { setAgentStatus } from '../context/agent-statuses.js'
import {
  Recorder,
  makeRunContext,
  reserveFor,
  testTask,
  type TestRunContext,
} from '../test-support/run-context-fixture.js'
import { LiveAgentHandle } from './live-agent.js'
import { LiveAssignment, TASK_DONE_UPDATE } from './live-assignment.js'

const SUBMISSION_TIMEOUT_S = 30

interface AssignmentFixture extends TestRunContext {
  readonly live: LiveAssignment
  readonly agents: readonly LiveAgentHandle[]
  /** What `send` passed on to pages, per agent. */
  readonly sent: Recorder<{ agentId: string; data: Record<string, unknown> }>
  /** One entry per call of `onEnded` / `onUnitChanged`. */
  readonly ended: Recorder<true>
  readonly changes: Recorder<true>
  /** The context `run` was called with. */
  readonly runs: Recorder<LiveAssignmentContext>
}

/** A two-agent assignment, both `in task`, driven by `run` (not started). */
async function makeAssignment(
  store: Store,
  run: (context: LiveAssignmentContext) => Promise<void>,
): Promise<AssignmentFixture> {
  const task = testTask({
    taskType: 'concurrent',
    unitsPerAssignment: 2,
    data: [{ topic: 'cats' }],
    run: () => Promise.resolve(),
  })
  const fixture = await makeRunContext(store, task)
  const { ctx, clock, logger } = fixture
  const sent: AssignmentFixture['sent'] = new Recorder()
  const runs = new Recorder<LiveAssignmentContext>()
  const ended = new Recorder<true>()
  const changes = new Recorder<true>()
  const assignmentId = fixture.run.assignments[0]?.id ?? ''
  const agents: LiveAgentHandle[] = []
  for (const [index, name] of ['alice', 'bob'].entries()) {
    const record = await reserveFor(store, fixture.run.unitIds[index] ?? '', { workerName: name })
    agents.push(
      new LiveAgentHandle(
        {
          clock,
          store,
          logger,
          send: (agentId, data) => {
            sent.record({ agentId, data })
          },
          timedOut: (agentId) => void live.dropout(agentId, AgentStatus.TIMEOUT),
        },
        {
          id: record.id,
          worker: { id: record.workerId, name, providerType: 'mock' },
          unit: { id: record.unitId, assignmentId, unitIndex: index, data: { topic: 'cats' } },
        },
      ),
    )
  }
  const settings: LiveTaskSettings = {
    run: (context) => {
      runs.record(context)
      return run(context)
    },
    waitingRoomSeconds: 600,
    submissionTimeoutSeconds: SUBMISSION_TIMEOUT_S,
  }
  const live: LiveAssignment = new LiveAssignment(ctx, settings, {
    id: assignmentId,
    data: { topic: 'cats' },
    agents,
    onEnded: () => {
      ended.record(true)
    },
    onUnitChanged: () => {
      changes.record(true)
    },
  })
  return { ...fixture, live, agents, sent, runs, ended, changes }
}

/** What the static runner's submission path does, in miniature. */
function storeSubmission(store: Store, fixture: TestRunContext, agentId: string, data: unknown) {
  return async (): Promise<void> => {
    await store.submissions.store({ agentId, data, files: [] })
    await setAgentStatus(fixture.ctx, agentId, AgentStatus.COMPLETED)
  }
}

/** Resolves once every change queued on the assignment's chain so far is done. */
async function drained(fixture: AssignmentFixture): Promise<void> {
  await fixture.live.submit('nobody', () => Promise.resolve())
}

function ids(fixture: AssignmentFixture): [string, string] {
  const [a, b] = fixture.agents
  if (a === undefined || b === undefined) throw new Error('expected two agents')
  return [a.id, b.id]
}

describe('LiveAssignment', () => {
  const { store } = useTestStore('memory')

  it('calls run with the agents, the assignment and a signal, and knows its agents', async () => {
    const fixture = await makeAssignment(store, () => new Promise(() => undefined))
    fixture.live.start()
    const context = await fixture.runs.waitFor(() => true, 'run')
    expect(context.agents).toBe(fixture.agents)
    expect(context.assignment).toEqual({ id: fixture.live.id, data: { topic: 'cats' } })
    expect(context.signal.aborted).toBe(false)
    const [alice] = ids(fixture)
    expect(fixture.live.has(alice)).toBe(true)
    expect(fixture.live.has('stranger')).toBe(false)
  })

  it('once run returns, tells each agent the task is done and times out who does not submit', async () => {
    const fixture = await makeAssignment(store, () => Promise.resolve())
    const [alice, bob] = ids(fixture)
    fixture.live.start()
    await fixture.sent.waitFor((entry) => entry.agentId === bob, 'the task-done update')
    expect(fixture.sent.entries.map((entry) => [entry.agentId, entry.data['task_data']])).toEqual([
      [alice, TASK_DONE_UPDATE.task_data],
      [bob, TASK_DONE_UPDATE.task_data],
    ])
    await fixture.live.submit(alice, storeSubmission(store, fixture, alice, { said: 'hi' }))
    fixture.clock.advance(SUBMISSION_TIMEOUT_S * 1000 - 1)
    expect(fixture.ended.entries).toEqual([])
    fixture.clock.advance(1)
    await fixture.ended.waitFor(() => true, 'the end of the assignment')
    expect((await store.agents.get(bob))?.status).toBe(AgentStatus.TIMEOUT)
    expect((await store.agents.get(alice))?.status).toBe(AgentStatus.COMPLETED)
    const bobUnit = fixture.agents[1]?.unit.id ?? ''
    expect((await store.units.get(bobUnit))?.status).toBe(UnitStatus.EXPIRED)
  })

  it('ends once every agent has submitted, with no deadline left', async () => {
    const fixture = await makeAssignment(store, () => Promise.resolve())
    const [alice, bob] = ids(fixture)
    fixture.live.start()
    await fixture.sent.waitFor((entry) => entry.agentId === bob, 'the task-done update')
    await drained(fixture)
    expect(fixture.clock.pendingTimers).toBe(2)
    await fixture.live.submit(alice, storeSubmission(store, fixture, alice, 1))
    // Alice's deadline goes with her submission; Bob's stays.
    expect(fixture.clock.pendingTimers).toBe(1)
    expect(fixture.ended.entries).toEqual([])
    await fixture.live.submit(bob, storeSubmission(store, fixture, bob, 2))
    expect(fixture.ended.entries).toHaveLength(1)
    expect(fixture.clock.pendingTimers).toBe(0)
  })

  it("hands a submission to run's awaitSubmit", async () => {
    const got = deferred<unknown>()
    const fixture = await makeAssignment(store, async ({ agents }) => {
      got.resolve(await agents[0]?.awaitSubmit())
    })
    const [alice, bob] = ids(fixture)
    fixture.live.start()
    await fixture.live.submit(alice, storeSubmission(store, fixture, alice, { final: true }))
    expect(await got.promise).toEqual({ final: true })
    // run returned: only bob, still in the task, is told it is done.
    await fixture.sent.waitFor((entry) => entry.agentId === bob, 'the task-done update')
    await drained(fixture)
    expect(fixture.sent.entries.map((entry) => entry.agentId)).toEqual([bob])
  })

  it("ends run on a dropout: the agent's unit expires, the partner is `partner disconnect` and may still submit", async () => {
    const partnerError = deferred<{ error: unknown; aborted: boolean }>()
    const fixture = await makeAssignment(store, async ({ agents, signal }) => {
      try {
        await agents[1]?.receive()
      } catch (error) {
        partnerError.resolve({ error, aborted: signal.aborted })
      }
    })
    const [alice, bob] = ids(fixture)
    fixture.live.start()
    await fixture.runs.waitFor(() => true, 'run')
    await fixture.live.dropout(alice, AgentStatus.DISCONNECT)
    expect((await store.agents.get(alice))?.status).toBe(AgentStatus.DISCONNECT)
    expect((await store.units.get(fixture.agents[0]?.unit.id ?? ''))?.status).toBe(
      UnitStatus.EXPIRED,
    )
    expect(fixture.statuses.of(bob)).toEqual([AgentStatus.PARTNER_DISCONNECT])
    const { error, aborted } = await partnerError.promise
    expect(aborted).toBe(true)
    expect(error).toBeInstanceOf(AgentDisconnectedError)
    expect(error).toMatchObject({ agentId: alice, status: AgentStatus.DISCONNECT })
    expect(fixture.changes.entries).toHaveLength(1)
    await fixture.live.submit(bob, storeSubmission(store, fixture, bob, 'late but fine'))
    expect((await store.agents.get(bob))?.status).toBe(AgentStatus.COMPLETED)
    expect(fixture.ended.entries).toHaveLength(1)
  })

  it('a wait that times out makes the agent `timeout`, through the same dropout path', async () => {
    const fixture = await makeAssignment(store, async ({ agents }) => {
      await agents[0]?.receive({ timeoutSeconds: 5 })
    })
    const [alice, bob] = ids(fixture)
    fixture.live.start()
    await fixture.runs.waitFor(() => true, 'run')
    fixture.clock.advance(5000)
    await fixture.statuses.pushed(bob, AgentStatus.PARTNER_DISCONNECT)
    await drained(fixture)
    expect((await store.agents.get(alice))?.status).toBe(AgentStatus.TIMEOUT)
  })

  it('expires every unit and logs it when run throws', async () => {
    const fixture = await makeAssignment(store, () => Promise.reject(new Error('task bug')))
    const [alice, bob] = ids(fixture)
    fixture.live.start()
    await fixture.ended.waitFor(() => true, 'the end of the assignment')
    for (const id of [alice, bob])
      expect((await store.agents.get(id))?.status).toBe(AgentStatus.EXPIRED)
    for (const handle of fixture.agents)
      expect((await store.units.get(handle.unit.id))?.status).toBe(UnitStatus.EXPIRED)
    expect(fixture.logger.messages('error')).toContain(
      "the task's run function threw; the assignment is ended and its units expired",
    )
  })

  it('treats an AgentError rethrown by run as run returning (the dropout is handled already)', async () => {
    const fixture = await makeAssignment(store, async ({ agents }) => {
      await agents[1]?.receive()
    })
    const [alice, bob] = ids(fixture)
    fixture.live.start()
    await fixture.runs.waitFor(() => true, 'run')
    await fixture.live.dropout(alice, AgentStatus.RETURNED)
    expect(fixture.logger.messages('error')).toEqual([])
    expect((await store.agents.get(bob))?.status).toBe(AgentStatus.PARTNER_DISCONNECT)
    fixture.clock.advance(SUBMISSION_TIMEOUT_S * 1000)
    await fixture.ended.waitFor(() => true, 'the end of the assignment')
    expect((await store.agents.get(bob))?.status).toBe(AgentStatus.TIMEOUT)
  })

  it('on shutdown ends every wait with AgentShutdownError and leaves the statuses to the run', async () => {
    const waits = deferred<unknown[]>()
    const fixture = await makeAssignment(store, async ({ agents }) => {
      waits.resolve(
        await Promise.allSettled(agents.map((agent) => agent.receive())).then((results) =>
          results.map((result): unknown => (result.status === 'rejected' ? result.reason : null)),
        ),
      )
    })
    const [alice, bob] = ids(fixture)
    fixture.live.start()
    await fixture.runs.waitFor(() => true, 'run')
    await fixture.live.shutdown()
    const errors = await waits.promise
    expect(errors.map((error) => error instanceof AgentShutdownError)).toEqual([true, true])
    expect(fixture.ended.entries).toHaveLength(1)
    expect((await store.agents.get(alice))?.status).toBe(AgentStatus.IN_TASK)
    // Nothing happens after the end: a dropout is ignored.
    await fixture.live.dropout(bob, AgentStatus.DISCONNECT)
    expect((await store.agents.get(bob))?.status).toBe(AgentStatus.IN_TASK)
  })

  it('a step that fails after run returns is logged, and leaves no unhandled rejection', async () => {
    const fixture = await makeAssignment(store, () => Promise.resolve())
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason)
    }
    process.on('unhandledRejection', onUnhandled)
    try {
      vi.spyOn(store.agents, 'get').mockRejectedValue(new Error('disk I/O error'))
      fixture.live.start()
      await fixture.logger.waitFor(
        (line) => line.message === 'live assignment step failed',
        'the failed step logged',
      )
      // Unhandled rejections are reported after the microtask queue drains.
      await new Promise((resolve) => setImmediate(resolve))
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })
})
