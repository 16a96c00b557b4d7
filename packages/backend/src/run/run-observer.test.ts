// The run observer, driven through the fake router (a real `ws` socket), a
// real SQLite store and the fake clock.
import { afterEach, describe, expect, it } from 'vitest'
import { FakeClock } from '@faust/testing'
import { useTestStore } from '@faust/testing/store'
import { defineTask } from '../definition/define-task.js'
import type { RunObserver } from './run-observer.js'
import { TaskRun } from './task-run.js'
import { FakeRouter } from './test-support/fake-router.js'

const registration = (worker: string, requestId: string): Record<string, unknown> => ({
  request_id: requestId,
  provider_data: { worker_name: worker, agent_registration_id: `reg-${worker}` },
})

type Event = [hook: string, event: Record<string, unknown>]

function oneItemTask(): ReturnType<typeof defineTask> {
  return defineTask<unknown>({ name: 'label', page: 'dist', data: [{ n: 1 }] })
}

describe('TaskRun with an observer', () => {
  const { store } = useTestStore('memory')
  let router: FakeRouter | undefined
  let run: TaskRun | undefined

  afterEach(async () => {
    await run?.stop()
    await router?.close()
    run = undefined
    router = undefined
  })

  async function started(observer: RunObserver, clock = new FakeClock()): Promise<FakeRouter> {
    router = await FakeRouter.start()
    run = await TaskRun.create({
      task: oneItemTask(),
      baseDir: '.',
      store,
      router: { socketUrl: router.url, httpUrl: 'http://127.0.0.1:1', token: 'secret' },
      clock,
      observer,
      backlogEveryMs: 1000,
    })
    await run.connect()
    return router
  }

  function recorder(): { events: Event[]; observer: RunObserver } {
    const events: Event[] = []
    const record =
      (hook: string) =>
      (event: object): void => {
        events.push([hook, { ...event }])
      }
    return {
      events,
      observer: {
        runStarted: record('runStarted'),
        registration: record('registration'),
        submissionStored: record('submissionStored'),
        storeCommit: record('storeCommit'),
        backlog: record('backlog'),
      },
    }
  }

  it('reports registrations granted and refused by reason, stored submissions and commits', async () => {
    const { events, observer } = recorder()
    const fake = await started(observer)
    fake.send('register_agent', registration('w1', 'req-1'))
    const granted = await fake.next('agent_details')
    fake.send('register_agent', registration('w2', 'req-2'))
    await fake.next('agent_details')
    const agentId = String(granted.data['agent_id'])
    fake.send('submit_unit', { answer: 'yes' }, agentId)
    await fake.nextWhere(
      (packet) => packet.packet_type === 'update_status' && packet.data['status'] === 'completed',
    )

    expect(events[0]).toEqual(['runStarted', { taskRunId: run?.runId }])
    const registrations = events.filter(([hook]) => hook === 'registration').map(([, e]) => e)
    expect(registrations).toEqual([
      { granted: true, reason: null, step: 'register', ms: expect.any(Number) as number },
      {
        granted: false,
        reason: expect.any(String) as string,
        step: 'register',
        ms: expect.any(Number) as number,
      },
    ])
    expect(registrations[1]?.['reason']).toMatch(/^(NO_AVAILABLE_UNITS|NO_UNITS_LEFT)$/)
    const stored = events.filter(([hook]) => hook === 'submissionStored').map(([, e]) => e)
    expect(stored).toEqual([{ stored: true, code: null, ms: expect.any(Number) as number }])
    const commits = events.filter(([hook]) => hook === 'storeCommit').map(([, e]) => e)
    expect(commits.map((commit) => commit['kind'])).toContain('batch')
    expect(commits.map((commit) => commit['kind'])).toContain('durable')
    for (const commit of commits) expect(commit['ms']).toBeGreaterThanOrEqual(0)
  })

  it("samples the backlog on the run's clock, and stops when the run ends", async () => {
    const clock = new FakeClock()
    const { events, observer } = recorder()
    await started(observer, clock)
    clock.advance(3000)
    const samples = events.filter(([hook]) => hook === 'backlog').map(([, e]) => e)
    expect(samples).toHaveLength(3)
    expect(samples[0]).toEqual({ outbox: 0, queued: expect.any(Number) as number })
    await run?.stop()
    clock.advance(3000)
    expect(events.filter(([hook]) => hook === 'backlog')).toHaveLength(3)
  })

  it('never breaks the run when every hook throws', async () => {
    const boom = (): never => {
      throw new Error('broken observer')
    }
    const clock = new FakeClock()
    const fake = await started(
      { registration: boom, submissionStored: boom, storeCommit: boom, backlog: boom },
      clock,
    )
    clock.advance(2000)
    fake.send('register_agent', registration('w1', 'req-1'))
    const answer = await fake.next('agent_details')
    expect(answer.data).toMatchObject({ request_id: 'req-1', failure_reason: null })
  })
})
