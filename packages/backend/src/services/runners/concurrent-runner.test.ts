import { AgentStatus } from '@faust/protocol'
import { deferred } from '@faust/testing'
import { describe, expect, it } from 'vitest'
import { AgentShutdownError } from '../../definition/agent-errors.js'
import type { LiveAssignmentContext } from '../../definition/live-task-options.js'
import type { AgentRecord } from '../../store/agents-repository.js'
import type { Store } from '../../store/store.js'
import { useTestStore } from '@faust/testing/store'
import { UnitStatus } from '../../store/unit-status.js'
import type { UploadFetcher } from '../context/upload-fetcher.js'
import {
  Recorder,
  makeRunContext,
  reserveFor,
  testTask,
  type TestRunContext,
} from '../test-support/run-context-fixture.js'
import { ConcurrentRunner, type LiveSender } from './concurrent-runner.js'
import { StaticRunner } from './static-runner.js'

const WAITING_ROOM_S = 120

/** Live data sent to pages. */
class FakeLiveSender
  extends Recorder<{ subjectId: string; data: Record<string, unknown> }>
  implements LiveSender
{
  sendLiveUpdate(subjectId: string, data: Record<string, unknown>): void {
    this.record({ subjectId, data })
  }
}

const noUploads: UploadFetcher = {
  fetch: () => Promise.reject(new Error('no uploads in these tests')),
}

interface RunnerFixture extends TestRunContext {
  readonly runner: ConcurrentRunner
  readonly live: FakeLiveSender
  readonly runs: Recorder<LiveAssignmentContext>
}

/** A concurrent task of two partners per assignment and two assignments, driven by `run`. */
async function makeRunner(
  store: Store,
  run: (context: LiveAssignmentContext) => Promise<void>,
): Promise<RunnerFixture> {
  const runs = new Recorder<LiveAssignmentContext>()
  const task = testTask({
    taskType: 'concurrent',
    unitsPerAssignment: 2,
    waitingRoomSeconds: WAITING_ROOM_S,
    data: [{ topic: 'cats' }, { topic: 'dogs' }],
    run: (context) => {
      runs.record(context)
      return run(context)
    },
  })
  const fixture = await makeRunContext(store, task)
  const events = { onUnitChanged: () => undefined }
  const live = new FakeLiveSender()
  const staticRunner = new StaticRunner(fixture.ctx, { fetcher: noUploads, events })
  if (task.live === undefined) throw new Error('expected a concurrent task')
  const runner = new ConcurrentRunner(fixture.ctx, task.live, { staticRunner, events, live })
  return { ...fixture, runner, live, runs }
}

/** Reserves unit `index` for `worker` into the runner's statuses and starts it. */
async function join(fixture: RunnerFixture, worker: string, index: number): Promise<AgentRecord> {
  const agent = await reserveFor(fixture.ctx.store, fixture.run.unitIds[index] ?? '', {
    workerName: worker,
    statuses: fixture.runner.unitStatuses,
  })
  await fixture.runner.startUnit(agent)
  return agent
}

/** A run that waits until the assignment ends. */
function untilAborted({ signal }: LiveAssignmentContext): Promise<void> {
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve()))
}

describe('ConcurrentRunner', () => {
  const { store } = useTestStore('memory')

  it('keeps the first partner `waiting`, and starts run with both `in task` when the second arrives', async () => {
    const fixture = await makeRunner(store, untilAborted)
    expect(fixture.runner.unitStatuses).toEqual([AgentStatus.ACCEPTED, AgentStatus.WAITING])
    const alice = await join(fixture, 'alice', 0)
    expect(fixture.statuses.of(alice.id)).toEqual([AgentStatus.WAITING])
    expect(fixture.runs.entries).toEqual([])
    const bob = await join(fixture, 'bob', 1)
    const context = await fixture.runs.waitFor(() => true, 'run')
    expect(context.agents.map((agent) => agent.id)).toEqual([alice.id, bob.id])
    expect(context.assignment.data).toEqual({ topic: 'cats' })
    for (const agent of [alice, bob])
      expect(fixture.statuses.of(agent.id)).toEqual([AgentStatus.WAITING, AgentStatus.IN_TASK])
    await fixture.runner.close()
  })

  it('releases a partner who waits longer than the waiting room allows', async () => {
    const fixture = await makeRunner(store, untilAborted)
    const alice = await join(fixture, 'alice', 0)
    fixture.clock.advance(WAITING_ROOM_S * 1000)
    await fixture.statuses.pushed(alice.id, AgentStatus.EXPIRED)
    expect(await store.units.get(alice.unitId)).toMatchObject({
      status: UnitStatus.LAUNCHED,
      agentId: null,
    })
    // The next partner waits alone: nobody is launched.
    await join(fixture, 'bob', 1)
    expect(fixture.runs.entries).toEqual([])
    await fixture.runner.close()
  })

  it('frees the unit of a waiting partner who disconnects', async () => {
    const fixture = await makeRunner(store, untilAborted)
    const alice = await join(fixture, 'alice', 0)
    await fixture.runner.disconnected(alice.id)
    expect((await store.agents.get(alice.id))?.status).toBe(AgentStatus.DISCONNECT)
    expect((await store.units.get(alice.unitId))?.status).toBe(UnitStatus.LAUNCHED)
    // Its waiting-room timer is gone with it.
    expect(fixture.clock.pendingTimers).toBe(0)
  })

  it("passes live data both ways: the page's updates to run (stored), run's observe to the page", async () => {
    const fixture = await makeRunner(store, async ({ agents }) => {
      const [first] = agents
      const update = await first?.receive()
      await first?.observe({ echo: update?.['text'] })
    })
    const alice = await join(fixture, 'alice', 0)
    await join(fixture, 'bob', 1)
    await fixture.runs.waitFor(() => true, 'run')
    await fixture.runner.liveUpdate(alice.id, { text: 'hello' })
    const echoed = await fixture.live.waitFor(
      (entry) => entry.data['echo'] !== undefined,
      'the echo',
    )
    expect(echoed).toMatchObject({ subjectId: alice.id, data: { echo: 'hello' } })
    const stored = await store.liveUpdates.list(alice.id)
    expect(
      stored.map((update) => [update.direction, update.data['text'] ?? update.data['echo']]),
    ).toEqual([
      ['from_agent', 'hello'],
      ['to_agent', 'hello'],
    ])
    await fixture.runner.close()
  })

  it('ignores a live update for an agent of no run of its own', async () => {
    const fixture = await makeRunner(store, untilAborted)
    await fixture.runner.liveUpdate('stranger', { text: 'hi' })
    expect(fixture.logger.messages('debug')).toContain(
      'live update for an agent this run does not know',
    )
  })

  it('gives a reload the task data and every live update so far, with timestamps in seconds', async () => {
    const fixture = await makeRunner(store, untilAborted)
    const alice = await join(fixture, 'alice', 0)
    await store.liveUpdates.add({ agentId: alice.id, direction: 'to_agent', data: { n: 1 } })
    const initData = (await fixture.runner.initTaskData(alice, store)) as {
      task_data: unknown
      past_live_updates: { n: number; timestamp: number }[]
    }
    expect(initData.task_data).toEqual({ topic: 'cats' })
    expect(initData.past_live_updates).toEqual([{ n: 1, timestamp: expect.any(Number) as number }])
    const [update] = await store.liveUpdates.list(alice.id)
    expect(initData.past_live_updates[0]?.timestamp).toBe((update?.at ?? 0) / 1000)
    await fixture.runner.close()
  })

  it("stores a running agent's submission and hands it to run", async () => {
    const submitted = deferred<unknown>()
    const fixture = await makeRunner(store, async (context) => {
      submitted.resolve(await context.agents[1]?.awaitSubmit())
      await untilAborted(context)
    })
    await join(fixture, 'alice', 0)
    const bob = await join(fixture, 'bob', 1)
    await fixture.runs.waitFor(() => true, 'run')
    await fixture.runner.submit(bob.id, { answer: 'yes' })
    expect(await submitted.promise).toEqual({ answer: 'yes' })
    expect((await store.agents.get(bob.id))?.status).toBe(AgentStatus.COMPLETED)
    await fixture.runner.close()
  })

  it('on close, ends running assignments (waits end with AgentShutdownError) and starts nothing more', async () => {
    const ended = deferred<unknown>()
    const fixture = await makeRunner(store, async ({ agents }) => {
      await agents[0]?.receive().catch((error: unknown) => {
        ended.resolve(error)
      })
    })
    await join(fixture, 'alice', 0)
    await join(fixture, 'bob', 1)
    await fixture.runs.waitFor(() => true, 'run')
    const carol = await reserveFor(store, fixture.run.unitIds[2] ?? '', {
      workerName: 'carol',
      statuses: fixture.runner.unitStatuses,
    })
    await fixture.runner.close()
    expect(await ended.promise).toBeInstanceOf(AgentShutdownError)
    await fixture.runner.startUnit(carol)
    expect(fixture.statuses.of(carol.id)).toEqual([])
    expect(fixture.clock.pendingTimers).toBe(0)
  })
})
