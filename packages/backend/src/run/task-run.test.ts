// TaskRun's stages, driven through a fake router: a plain `ws` server on
// 127.0.0.1 (the channel is a socket client, so a socket is its real
// collaborator), a real SQLite store, and the fake clock.
import { afterEach, describe, expect, it } from 'vitest'
import { FakeClock } from '@faust/testing'
import { defineTask, type TaskOptions } from '../definition/define-task.js'
import { useTestStore } from '@faust/testing/store'
import { TaskRun } from './task-run.js'
import { FakeRouter } from './test-support/fake-router.js'

function task(options: Partial<TaskOptions> = {}): ReturnType<typeof defineTask> {
  return defineTask({ name: 'label', page: 'dist', data: [{ n: 1 }, { n: 2 }], ...options })
}

const registration = (worker: string, requestId: string): Record<string, unknown> => ({
  request_id: requestId,
  provider_data: { worker_name: worker, agent_registration_id: `reg-${worker}` },
})

describe('TaskRun', () => {
  const testStore = useTestStore('memory')
  const { store } = testStore
  let router: FakeRouter | undefined
  let run: TaskRun | undefined

  afterEach(async () => {
    await run?.stop()
    await router?.close()
    run = undefined
    router = undefined
  })

  async function started(options: Partial<TaskOptions> = {}): Promise<{
    run: TaskRun
    router: FakeRouter
  }> {
    router = await FakeRouter.start()
    run = await TaskRun.create({
      task: task(options),
      baseDir: '.',
      store,
      router: { socketUrl: router.url, httpUrl: 'http://127.0.0.1:1', token: 'secret' },
      clock: new FakeClock(),
    })
    await run.connect()
    return { run, router }
  }

  it('create stores the run and its configuration; connect launches its units', async () => {
    const { run: created } = await started({ unitsPerAssignment: 2 })
    const stored = await store.taskRuns.get(created.runId)
    expect(stored?.config).toMatchObject({ name: 'label', unitsPerAssignment: 2, data: '2 items' })
    const progress = await created.handle().progress()
    expect(progress).toMatchObject({ total: 4, launched: 4, done: false })
  })

  it('serves registrations once connected: the page gets its agent and item', async () => {
    const { router: fake } = await started()
    fake.send('register_agent', registration('w1', 'req-1'))
    const answer = await fake.next('agent_details')
    expect(answer.data).toMatchObject({ request_id: 'req-1', failure_reason: null })
    expect(answer.data['agent_id']).toEqual(expect.any(String))
    expect(answer.data['init_task_data']).toEqual({ n: 1 })
  })

  it("plugs in a feature's registration hook: a remote-procedure page gets its previous calls", async () => {
    const { router: fake } = await started({
      taskType: 'remote-procedure',
      remoteProcedures: { echo: (args: unknown) => args },
    })
    fake.send('register_agent', registration('w1', 'req-1'))
    const answer = await fake.next('agent_details')
    expect(answer.data['init_task_data']).toEqual({ task_data: { n: 1 }, previous_requests: [] })
  })

  it('a failed connect ends the run it created, on the injected clock', async () => {
    const clock = new FakeClock()
    const closed = await FakeRouter.start()
    const url = closed.url
    await closed.close()
    run = await TaskRun.create({
      task: task(),
      baseDir: '.',
      store,
      router: { socketUrl: url, httpUrl: 'http://127.0.0.1:1', token: 'secret' },
      clock,
      connectTimeoutMs: 1000,
    })
    const connecting = run.connect()
    clock.advance(1000)
    await expect(connecting).rejects.toThrow(/could not reach the router/)
    const stored = await store.taskRuns.get(run.runId)
    expect(stored?.endedAt).not.toBeNull()
    const units = await store.units.list({ taskRunId: run.runId })
    expect(units.every((unit) => unit.status === 'expired')).toBe(true)
    run = undefined
  })

  it('finish: one shutdown for every caller; the run and its units end', async () => {
    const { run: live, router: fake } = await started()
    const first = live.stop()
    expect(live.stop()).toBe(first)
    const progress = await first
    expect(progress).toMatchObject({ done: true, expired: 2 })
    expect((await store.taskRuns.get(live.runId))?.endedAt).not.toBeNull()
    expect(fake.packets.some((packet) => packet.packet_type === 'agent_details')).toBe(false)
  })
})
