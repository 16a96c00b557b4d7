// Resuming a run whose process died: a first TaskRun serves some workers and
// is then abandoned without stop() (its router gone, its fake clock never
// advanced again: as inert as a killed process), and a second TaskRun over
// the same SQLite file takes the run up again. Real file store, fake clocks.
import { afterEach, describe, expect, it } from 'vitest'
import type { Logger } from '@faust/protocol'
import { FakeClock } from '@faust/testing'
import { useTestStore } from '@faust/testing/store'
import { defineTask, type TaskOptions } from '../definition/define-task.js'
import { TaskRun } from './task-run.js'
import { FakeRouter } from './test-support/fake-router.js'

const DURATION_MS = 60_000

function task(options: Partial<TaskOptions> = {}): ReturnType<typeof defineTask> {
  return defineTask({
    name: 'label',
    page: 'dist',
    data: [{ n: 1 }, { n: 2 }],
    assignmentDurationSeconds: DURATION_MS / 1000,
    ...options,
  })
}

/** Every line logged, info included: releases on resume are info lines. */
class LinesLogger implements Logger {
  readonly lines: { level: string; message: string; details: object }[] = []
  debug(): void {
    // not needed
  }
  info(details: object, message: string): void {
    this.lines.push({ level: 'info', message, details })
  }
  warn(details: object, message: string): void {
    this.lines.push({ level: 'warn', message, details })
  }
  error(details: object, message: string): void {
    this.lines.push({ level: 'error', message, details })
  }
  matching(pattern: RegExp): object[] {
    return this.lines.filter((line) => pattern.test(line.message)).map((line) => line.details)
  }
}

describe('TaskRun resume', () => {
  const { store } = useTestStore('file')
  const routers: FakeRouter[] = []
  let live: TaskRun | undefined

  afterEach(async () => {
    await live?.stop()
    live = undefined
    for (const router of routers.splice(0)) await router.close()
  })

  async function start(
    options: Partial<TaskOptions>,
    run: { clock: FakeClock; newRun?: boolean; logger?: Logger },
  ): Promise<{ run: TaskRun; router: FakeRouter }> {
    const router = await FakeRouter.start()
    routers.push(router)
    const created = await TaskRun.create({
      task: task(options),
      baseDir: '.',
      store,
      router: { socketUrl: router.url, httpUrl: 'http://127.0.0.1:1', token: 'secret' },
      clock: run.clock,
      newRun: run.newRun,
      logger: run.logger,
    })
    await created.connect()
    return { run: created, router }
  }

  /** Registers a worker; returns its agent id and item. */
  async function register(
    router: FakeRouter,
    worker: string,
    registrationId = `reg-${worker}`,
  ): Promise<{ agentId: string; item: unknown; failure: unknown }> {
    router.send('register_agent', {
      request_id: `req-${worker}`,
      provider_data: { worker_name: worker, agent_registration_id: registrationId },
    })
    const answer = await router.nextWhere(
      (packet) =>
        packet.packet_type === 'agent_details' && packet.data['request_id'] === `req-${worker}`,
    )
    return {
      agentId: String(answer.data['agent_id']),
      item: answer.data['init_task_data'],
      failure: answer.data['failure_reason'],
    }
  }

  async function submit(router: FakeRouter, agentId: string): Promise<void> {
    router.send('submit_unit', { answer: 'yes' }, agentId)
    await router.status(agentId, 'completed')
  }

  /** The first run, abandoned as a killed process would leave it. */
  async function crashed(
    options: Partial<TaskOptions>,
    clock: FakeClock,
    serve: (router: FakeRouter) => Promise<void>,
  ): Promise<string> {
    const { run, router } = await start(options, { clock })
    await serve(router)
    // What the last change set going (a refill) is done before the "crash".
    await run.handle().progress()
    await router.close()
    routers.splice(routers.indexOf(router), 1)
    return run.runId
  }

  it('continues the same run: a reservation kept until its stored deadline, a done item never offered again', async () => {
    const clock = new FakeClock()
    let held = ''
    const runId = await crashed({}, clock, async (router) => {
      const first = await register(router, 'w1')
      await submit(router, first.agentId)
      held = (await register(router, 'w2')).agentId
    })
    const later = new FakeClock(clock.now() + DURATION_MS / 2)
    const logger = new LinesLogger()
    const { run, router } = await start({}, { clock: later, logger })
    live = run
    expect(run.runId).toBe(runId)
    expect(run.handle().resumed).toEqual({ kept: 1, released: 0, expiredOnboarding: 0 })
    expect(await run.handle().progress()).toMatchObject({ total: 2, completed: 1, inProgress: 1 })
    // Its page is re-admitted: its status is announced to the router again.
    await router.status(held, 'in task')
    expect((await register(router, 'w3')).failure).toMatch(/no available work/)
    later.advance(DURATION_MS / 2)
    await router.status(held, 'disconnect')
    expect((await store.units.list({ taskRunId: runId })).map((unit) => unit.status)).toEqual([
      'completed',
      'launched',
    ])
    const again = await register(router, 'w4')
    expect(again.item).toEqual({ n: 2 })
    expect((await store.taskRuns.list()).length).toBe(1)
  })

  it('pause() (Ctrl-C) leaves the run unfinished: the worker keeps its unit and the next run resumes it', async () => {
    const clock = new FakeClock()
    const first = await start({}, { clock })
    const done = (await register(first.router, 'w1')).agentId
    await submit(first.router, done)
    const held = (await register(first.router, 'w2')).agentId
    const paused = await first.run.pause()
    expect(paused).toMatchObject({ total: 2, completed: 1, inProgress: 1, done: false })
    // stop() after pause() is the same shutdown, not an end of the run.
    expect(await first.run.stop()).toBe(paused)
    expect((await store.taskRuns.get(first.run.runId))?.endedAt).toBeNull()
    expect((await store.agents.get(held))?.status).toBe('in task')

    const { run, router } = await start({}, { clock: new FakeClock(clock.now() + 1000) })
    live = run
    expect(run.runId).toBe(first.run.runId)
    expect(run.handle().resumed).toEqual({ kept: 1, released: 0, expiredOnboarding: 0 })
    await router.status(held, 'in task')
    await submit(router, held)
    expect(await run.handle().done).toMatchObject({ completed: 2, done: true })
  })

  it('releases a reservation whose deadline passed while the process was dead, one log line each', async () => {
    const clock = new FakeClock()
    const held: string[] = []
    await crashed({}, clock, async (router) => {
      held.push((await register(router, 'w1')).agentId)
      held.push((await register(router, 'w2')).agentId)
    })
    const logger = new LinesLogger()
    const { run } = await start({}, { clock: new FakeClock(clock.now() + DURATION_MS), logger })
    live = run
    expect(run.handle().resumed).toEqual({ kept: 0, released: 2, expiredOnboarding: 0 })
    expect(logger.matching(/past its deadline released/)).toEqual([
      expect.objectContaining({ agentId: held[0] }),
      expect.objectContaining({ agentId: held[1] }),
    ])
    for (const agentId of held) expect((await store.agents.get(agentId))?.status).toBe('disconnect')
    expect(await run.handle().progress()).toMatchObject({ launched: 2, inProgress: 0 })
  })

  it('releases a unit still held by an agent that had already ended', async () => {
    const clock = new FakeClock()
    let agentId = ''
    await crashed({}, clock, async (router) => {
      agentId = (await register(router, 'w1')).agentId
    })
    // The process died between the agent's status and its unit's release.
    await store.agents.setStatus(agentId, 'disconnect')
    const logger = new LinesLogger()
    const { run } = await start({}, { clock: new FakeClock(clock.now()), logger })
    live = run
    expect(run.handle().resumed).toMatchObject({ released: 1 })
    expect(logger.matching(/held by an ended agent released/)).toHaveLength(1)
    expect(await run.handle().progress()).toMatchObject({ launched: 2, inProgress: 0 })
  })

  it('expires onboarding in progress (the page is told); the worker registers again', async () => {
    const clock = new FakeClock()
    const onboarding = { data: { quiz: 1 }, validate: () => true }
    let onboardingId = ''
    await crashed({ onboarding }, clock, async (router) => {
      onboardingId = (await register(router, 'w1')).agentId
    })
    expect(onboardingId).toMatch(/^onboarding_/)
    const { run, router } = await start({ onboarding }, { clock: new FakeClock(clock.now()) })
    live = run
    expect(run.handle().resumed).toEqual({ kept: 0, released: 0, expiredOnboarding: 1 })
    const record = await store.onboardingAgents.get(onboardingId.replace(/^onboarding_/, ''))
    expect(record?.status).toBe('expired')
    await router.status(onboardingId, 'expired')
    // A new registration (a new assignment of the provider's) onboards again;
    // a reload of the old page is told its onboarding is gone (TASK_MISSING).
    expect((await register(router, 'w1', 'reg-w1-again')).agentId).toMatch(/^onboarding_/)
  })

  it('keeps launching past the units already launched or done (maxConcurrentUnits)', async () => {
    const clock = new FakeClock()
    const options = { data: [{ n: 1 }, { n: 2 }, { n: 3 }], maxConcurrentUnits: 1 }
    await crashed(options, clock, async (router) => {
      await submit(router, (await register(router, 'w1')).agentId)
    })
    const { run, router } = await start(options, { clock: new FakeClock(clock.now()) })
    live = run
    expect(await run.handle().progress()).toMatchObject({ completed: 1, launched: 1, waiting: 1 })
    const second = await register(router, 'w2')
    expect(second.item).toEqual({ n: 2 })
    await submit(router, second.agentId)
    // The completion's refill runs after the push; progress() waits for it.
    await run.handle().progress()
    const third = await register(router, 'w3')
    expect(third).toMatchObject({ item: { n: 3 } })
  })

  it('refuses other data with RUN_DATA_CHANGED naming --new-run; --new-run ends the old run first', async () => {
    const clock = new FakeClock()
    let held = ''
    const oldRunId = await crashed({}, clock, async (router) => {
      held = (await register(router, 'w1')).agentId
    })
    const changed = { data: [{ n: 1 }, { n: 3 }] }
    await expect(start(changed, { clock: new FakeClock(clock.now()) })).rejects.toMatchObject({
      code: 'RUN_DATA_CHANGED',
      message: expect.stringContaining('--new-run') as unknown,
    })
    const logger = new LinesLogger()
    const { run } = await start(changed, {
      clock: new FakeClock(clock.now()),
      newRun: true,
      logger,
    })
    live = run
    expect(run.runId).not.toBe(oldRunId)
    expect(run.handle().resumed).toBeNull()
    expect((await store.taskRuns.get(oldRunId))?.endedAt).not.toBeNull()
    expect((await store.agents.get(held))?.status).toBe('expired')
    const oldUnits = await store.units.list({ taskRunId: oldRunId })
    expect(oldUnits.map((unit) => unit.status)).toEqual(['expired', 'expired'])
    expect(logger.matching(/unfinished run is ended/)).toEqual([
      expect.objectContaining({ taskRunId: oldRunId, expiredUnits: 2, expiredAgents: 1 }),
    ])
  })

  it('a stopped run is not resumed: the next run is a new one', async () => {
    const { run: first } = await start({}, { clock: new FakeClock() })
    await first.stop()
    const { run } = await start({}, { clock: new FakeClock() })
    live = run
    expect(run.runId).not.toBe(first.runId)
    expect(run.handle().resumed).toBeNull()
  })

  it('a resumed run that cannot reach the router stays unfinished, to be resumed again', async () => {
    const clock = new FakeClock()
    const runId = await crashed({}, clock, async (router) => {
      await register(router, 'w1')
    })
    const closed = await FakeRouter.start()
    const url = closed.url
    await closed.close()
    const later = new FakeClock(clock.now())
    const run = await TaskRun.create({
      task: task(),
      baseDir: '.',
      store,
      router: { socketUrl: url, httpUrl: 'http://127.0.0.1:1', token: 'secret' },
      clock: later,
      connectTimeoutMs: 1000,
    })
    const connecting = run.connect()
    later.advance(1000)
    await expect(connecting).rejects.toThrow(/could not reach the router/)
    expect(run.runId).toBe(runId)
    expect((await store.taskRuns.get(runId))?.endedAt).toBeNull()
    expect(await store.units.summarize(runId)).toMatchObject({ assigned: 1, launched: 1 })
  })

  describe('a concurrent (live) task', () => {
    /** A pair chat: the first agent is greeted (unless resumed), then `run` waits for its answer. */
    function chat(
      entered: (call: { resumed: boolean; history: unknown[] }) => void,
    ): Partial<TaskOptions> {
      return {
        taskType: 'concurrent',
        unitsPerAssignment: 2,
        data: [{ topic: 'cats' }],
        waitingRoomSeconds: 100,
        run: async ({ agents, resumed }) => {
          const [first] = agents
          if (first === undefined) return
          const history = (await first.history()).map((entry) => [
            entry.direction,
            entry.data['text'],
          ])
          entered({ resumed, history })
          if (!resumed) await first.observe({ text: 'hello' })
          await first.receive()
        },
      }
    }

    it('restores a running assignment: statuses announced again, its run called again with the history', async () => {
      const calls: { resumed: boolean; history: unknown[] }[] = []
      let reentered: (() => void) | undefined
      const again = new Promise<void>((resolve) => (reentered = resolve))
      const options = chat((call) => {
        calls.push(call)
        if (call.resumed) reentered?.()
      })
      const clock = new FakeClock()
      const ids: string[] = []
      await crashed(options, clock, async (router) => {
        ids.push((await register(router, 'w1')).agentId, (await register(router, 'w2')).agentId)
        await router.nextWhere((packet) => packet.packet_type === 'client_bound_live_update')
      })
      const { run, router } = await start(options, { clock: new FakeClock(clock.now() + 5000) })
      live = run
      expect(run.handle().resumed).toEqual({ kept: 2, released: 0, expiredOnboarding: 0 })
      await router.status(ids[0]!, 'in task')
      await router.status(ids[1]!, 'in task')
      await again
      expect(calls).toEqual([
        { resumed: false, history: [] },
        { resumed: true, history: [['to_agent', 'hello']] },
      ])
      // The page answers; `run` returns and every partner is told the task is done.
      router.send('mephisto_bound_live_update', { text: 'hi' }, ids[0])
      const done = await router.nextWhere(
        (packet) =>
          packet.packet_type === 'client_bound_live_update' &&
          packet.subject_id === ids[1] &&
          JSON.stringify(packet.data).includes('task_done'),
      )
      expect(done.data).toMatchObject({ task_data: { task_done: true } })
    })

    it('puts waiting workers back in the waiting room for the time they had left', async () => {
      const calls: { resumed: boolean; history: unknown[] }[] = []
      const options = chat((call) => calls.push(call))
      const clock = new FakeClock()
      let waiting = ''
      await crashed(options, clock, async (router) => {
        waiting = (await register(router, 'w1')).agentId
        await router.status(waiting, 'waiting')
      })
      const later = new FakeClock(clock.now() + 60_000)
      const { run, router } = await start(options, { clock: later })
      live = run
      expect(run.handle().resumed).toEqual({ kept: 1, released: 0, expiredOnboarding: 0 })
      await router.status(waiting, 'waiting')
      later.advance(40_000)
      await router.status(waiting, 'expired')
      expect(await run.handle().progress()).toMatchObject({ launched: 2, inProgress: 0 })
      expect(calls).toEqual([])
    })

    it('ends an assignment that cannot be restored (a partner already gone): its units offered again', async () => {
      const options = chat(() => undefined)
      const clock = new FakeClock()
      const ids: string[] = []
      await crashed(options, clock, async (router) => {
        ids.push((await register(router, 'w1')).agentId, (await register(router, 'w2')).agentId)
        await router.nextWhere((packet) => packet.packet_type === 'client_bound_live_update')
      })
      // The process died while one partner's dropout was half written.
      await store.agents.setStatus(ids[1]!, 'partner disconnect')
      const logger = new LinesLogger()
      const { run } = await start(options, { clock: new FakeClock(clock.now()), logger })
      live = run
      expect(run.handle().resumed).toEqual({ kept: 0, released: 2, expiredOnboarding: 0 })
      expect(logger.matching(/live agent ended; unit offered again/)).toHaveLength(2)
      expect(await run.handle().progress()).toMatchObject({ launched: 2, inProgress: 0 })
    })

    it('keeps the partner of one who handed in (run was over): it may still submit, else times out', async () => {
      const options = { ...chat(() => undefined), submissionTimeoutSeconds: 30 }
      const clock = new FakeClock()
      const ids: string[] = []
      await crashed(options, clock, async (router) => {
        ids.push((await register(router, 'w1')).agentId, (await register(router, 'w2')).agentId)
        await router.nextWhere((packet) => packet.packet_type === 'client_bound_live_update')
        router.send('mephisto_bound_live_update', { text: 'hi' }, ids[0])
        await submit(router, ids[0]!)
      })
      const later = new FakeClock(clock.now() + 1000)
      const logger = new LinesLogger()
      const { run, router } = await start(options, { clock: later, logger })
      live = run
      expect(run.handle().resumed).toEqual({ kept: 1, released: 0, expiredOnboarding: 0 })
      expect(logger.matching(/a partner had handed in; the others may still submit/)).toEqual([
        expect.objectContaining({ agentIds: [ids[1]] }),
      ])
      await router.status(ids[1]!, 'in task')
      await submit(router, ids[1]!)
      expect(await run.handle().done).toMatchObject({ completed: 2, expired: 0, done: true })
    })

    it('times out a kept partner that does not submit within submissionTimeoutSeconds', async () => {
      const options = { ...chat(() => undefined), submissionTimeoutSeconds: 30 }
      const clock = new FakeClock()
      const ids: string[] = []
      await crashed(options, clock, async (router) => {
        ids.push((await register(router, 'w1')).agentId, (await register(router, 'w2')).agentId)
        await router.nextWhere((packet) => packet.packet_type === 'client_bound_live_update')
        router.send('mephisto_bound_live_update', { text: 'hi' }, ids[0])
        await submit(router, ids[0]!)
      })
      const later = new FakeClock(clock.now() + 1000)
      const { run, router } = await start(options, { clock: later })
      live = run
      await router.status(ids[1]!, 'in task')
      later.advance(30_000)
      await router.status(ids[1]!, 'timeout')
      expect(await run.handle().done).toMatchObject({ completed: 1, expired: 1, done: true })
    })

    it('expires the units of an assignment a partner had already left', async () => {
      const options = chat(() => undefined)
      const clock = new FakeClock()
      const ids: string[] = []
      await crashed(options, clock, async (router) => {
        ids.push((await register(router, 'w1')).agentId, (await register(router, 'w2')).agentId)
        await router.nextWhere((packet) => packet.packet_type === 'client_bound_live_update')
        // w2 leaves: its unit expires, w1 may still submit.
        router.send('return_statuses', { [ids[1]!]: 'disconnect' })
        await router.status(ids[0]!, 'partner disconnect')
      })
      const { run } = await start(options, { clock: new FakeClock(clock.now()) })
      live = run
      expect(run.handle().resumed).toEqual({ kept: 0, released: 1, expiredOnboarding: 0 })
      expect((await store.agents.get(ids[0]!))?.status).toBe('expired')
      expect(await run.handle().progress()).toMatchObject({ expired: 2, done: true })
    })
  })
})
