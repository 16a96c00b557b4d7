// `@faust/testing/task`: a task author's harness. Each case runs a real task
// on a real router and store, driven by bots that are `@faust/client` pages in
// Node, and checks what the backend stored.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AgentStatus, FailureReason } from '@faust/protocol'
import { defineTask, type RemoteCall } from '@faust/backend'
import { FakeClock } from '@faust/testing'
import { startTask } from '@faust/testing/task'
import staticForm from '../../examples/static-form/task.js'

const label = defineTask({
  name: 'label',
  page: 'dist',
  data: [{ text: 'great phone' }, { text: 'broken box' }],
})

describe('startTask with a static task', () => {
  it('gives two bots one item each, stores both submissions, and finishes the run', async () => {
    await using h = await startTask(label)
    const alice = await h.worker('alice')
    const bob = await h.worker('bob')

    const aliceUnit = await alice.register()
    expect(aliceUnit).toEqual({
      accepted: true,
      agentId: expect.any(String) as string,
      workerId: expect.any(String) as string,
      onboarding: false,
      initTaskData: { text: 'great phone' },
    })
    expect(await bob.register()).toMatchObject({
      accepted: true,
      initTaskData: { text: 'broken box' },
    })

    // Both units are taken: a third worker is refused.
    const carol = await h.worker('carol')
    expect(await carol.register()).toMatchObject({
      accepted: false,
      reason: FailureReason.NO_AVAILABLE_UNITS,
    })

    // Bob first: results are ordered by item, not by who submitted first.
    const stored = await bob.submit({ label: 'negative' })
    expect(stored).toMatchObject({ agentId: bob.agentId, data: { label: 'negative' } })
    await alice.submit({ label: 'positive' })
    expect(await h.results()).toEqual([
      {
        worker: 'alice',
        item: { text: 'great phone' },
        unitIndex: 0,
        data: { label: 'positive' },
        status: AgentStatus.COMPLETED,
        files: [],
      },
      {
        worker: 'bob',
        item: { text: 'broken box' },
        unitIndex: 0,
        data: { label: 'negative' },
        status: AgentStatus.COMPLETED,
        files: [],
      },
    ])
    expect(await h.done()).toMatchObject({ total: 2, completed: 2, expired: 0, done: true })
  })

  it('stores uploaded files with the submission, and removes its folders on dispose', async () => {
    let dataDir = ''
    {
      await using h = await startTask(label)
      dataDir = h.store.dataDir
      const alice = await h.worker('alice')
      await alice.register()
      const photo = new Blob(['not really a png'], { type: 'image/png' })
      await alice.submit({ label: 'positive' }, { files: { photo } })
      const [result] = await h.results()
      expect(result?.files).toEqual([
        { field: 'photo', name: 'blob', mimetype: 'image/png', size: 16 },
      ])
      expect(await h.progress()).toMatchObject({ completed: 1, launched: 1, done: false })
    }
    const { existsSync } = await import('node:fs')
    expect(existsSync(dataDir)).toBe(false)
  })
  it('runs on the clock it is given: a worker silent past the assignment duration loses the unit', async () => {
    const clock = new FakeClock()
    await using h = await startTask(
      defineTask({
        name: 'timed',
        page: 'dist',
        data: [{ text: 'slow' }],
        assignmentDurationSeconds: 60,
      }),
      { clock },
    )
    expect(h.clock).toBe(clock)
    const alice = await h.worker('alice')
    const unit = await alice.register()
    expect(await h.progress()).toMatchObject({ inProgress: 1, launched: 0 })
    clock.advance(60_000)
    // The unit is offered again, and alice's agent is disconnected.
    await h.waitForProgress((progress) => progress.launched === 1 && progress.inProgress === 0)
    expect(unit.accepted).toBe(true)
    const agent = await h.store.agents.get(alice.agentId ?? '')
    expect(agent?.status).toBe(AgentStatus.DISCONNECT)
    expect(await h.stop()).toMatchObject({ completed: 0, expired: 1, done: true })
    expect(await h.results()).toEqual([])
  })
  it('rejects with the backend’s error when the task cannot start', async () => {
    const missing = defineTask({ name: 'missing', page: 'dist', data: 'no-such-file.jsonl' })
    await expect(startTask(missing, { baseDir: import.meta.dirname })).rejects.toThrow(
      /no-such-file\.jsonl/,
    )
  })
})

describe('startTask with onboarding', () => {
  const quiz = { question: 'Is the sky blue?' }
  const onboarded = defineTask({
    name: 'label-onboarded',
    page: 'dist',
    data: [{ text: 'great phone' }],
    onboarding: {
      data: quiz,
      validate: ({ outputs }) => (outputs as { answer?: unknown }).answer === 'yes',
    },
  })

  it('lets a bot that passes the quiz work on the unit', async () => {
    await using h = await startTask(onboarded)
    const alice = await h.worker('alice')
    const first = await alice.register()
    expect(first).toMatchObject({ accepted: true, onboarding: true, initTaskData: quiz })
    expect(first.accepted && first.agentId).toMatch(/^onboarding_/)

    const passed = await alice.submitOnboarding({ answer: 'yes' })
    expect(passed).toMatchObject({
      accepted: true,
      onboarding: false,
      initTaskData: { text: 'great phone' },
    })
    await alice.submit({ label: 'positive' })
    expect(await h.results()).toMatchObject([{ worker: 'alice', data: { label: 'positive' } }])
    await h.done()
  })

  it('refuses a bot that fails the quiz, then and on every later visit', async () => {
    await using h = await startTask(onboarded)
    const bob = await h.worker('bob')
    await bob.register()
    const failed = await bob.submitOnboarding({ answer: 'no' })
    expect(failed).toEqual({
      accepted: false,
      workerId: expect.any(String) as string,
      reason: FailureReason.ONBOARDING_FAILED,
      blockedReason: 'null_agent_id',
    })
    await expect(bob.submit({ label: 'positive' })).rejects.toThrow(/has no unit to submit/)
    // The same page reloaded is refused at once.
    const reloaded = await h.worker('bob')
    expect(await reloaded.register()).toMatchObject({
      accepted: false,
      reason: FailureReason.ONBOARDING_FAILED,
    })
    expect(await h.results()).toEqual([])
    expect(await h.progress()).toMatchObject({ completed: 0, launched: 1 })
  })
})

describe('startTask with a concurrent task', () => {
  const chat = defineTask({
    name: 'chat',
    page: 'dist',
    taskType: 'concurrent',
    unitsPerAssignment: 2,
    data: [{ topic: 'cats' }],
    run: async ({ agents }) => {
      const [first, second] = agents
      if (first === undefined || second === undefined) throw new Error('two agents expected')
      await first.observe({ text: 'welcome' })
      const said = await first.receive({ timeoutSeconds: 60 })
      await second.observe({ text: said['text'], from: 'partner' })
    },
  })

  it('pairs two bots, relays a live update between them, and stores both submissions', async () => {
    await using h = await startTask(chat)
    const alice = await h.worker('alice')
    const bob = await h.worker('bob')
    expect(await alice.register()).toMatchObject({
      accepted: true,
      initTaskData: { task_data: { topic: 'cats' } },
    })
    await alice.waitForStatus(AgentStatus.WAITING)
    await bob.register()
    await alice.waitForStatus(AgentStatus.IN_TASK)
    await bob.waitForStatus(AgentStatus.IN_TASK)

    expect(await alice.nextLiveUpdate()).toMatchObject({ text: 'welcome' })
    const sent = await alice.sendLiveUpdate({ text: 'hello bob' })
    expect(typeof sent['update_id']).toBe('string')
    expect(await bob.nextLiveUpdate((update) => 'text' in update)).toMatchObject({
      text: 'hello bob',
      from: 'partner',
    })
    // `run` returned: the backend tells both pages the task is done.
    for (const bot of [alice, bob]) {
      expect(await bot.nextLiveUpdate((update) => 'task_data' in update)).toMatchObject({
        task_data: { task_done: true },
      })
    }

    await alice.submit({ rating: 5 })
    await bob.submit({ rating: 4 })
    expect(await h.done()).toMatchObject({ completed: 2, done: true })
    expect(
      (await h.results()).map(({ worker, unitIndex, data }) => ({ worker, unitIndex, data })),
    ).toEqual([
      { worker: 'alice', unitIndex: 0, data: { rating: 5 } },
      { worker: 'bob', unitIndex: 1, data: { rating: 4 } },
    ])
    expect(alice.liveUpdates.map((update) => update['text'] ?? update['task_data'])).toEqual([
      'welcome',
      { task_done: true },
    ])
  })
})

describe('startTask with remote procedures', () => {
  const assisted = defineTask({
    name: 'assisted',
    page: 'dist',
    taskType: 'remote-procedure',
    data: [{ text: 'great phone' }],
    remoteProcedures: {
      suggest: ({ text }: Record<string, unknown>, call: RemoteCall) => ({
        label: String(text).includes('great') ? 'positive' : 'negative',
        item: call.unit?.data,
        worker: call.worker.name,
      }),
      fail: () => {
        throw new Error('no model today')
      },
    },
  })

  it('answers a bot’s call, reports a failing procedure, and stores the calls with the result', async () => {
    await using h = await startTask(assisted)
    const alice = await h.worker('alice')
    await alice.register()
    expect(await alice.call('suggest', { text: 'a great day' })).toEqual({
      label: 'positive',
      item: { text: 'great phone' },
      worker: 'alice_sandbox',
    })
    await expect(alice.call('fail')).rejects.toMatchObject({
      code: 'REMOTE',
      message: "the remote procedure 'fail' failed: no model today",
    })
    await alice.submit({ label: 'positive' })
    const [exported] = await h.store.results.exportSubmissions({ taskName: 'assisted' })
    expect(exported?.remoteCalls.map((call) => call.target)).toEqual(['suggest', 'fail'])
    await h.done()
  })
})

describe('startTask with an example task', () => {
  it('runs examples/static-form: its data file, its quiz, a label stored', async () => {
    await using h = await startTask(staticForm, {
      baseDir: resolve(import.meta.dirname, '../../examples/static-form'),
    })
    expect(await h.progress()).toMatchObject({ total: 8, launched: 8 })

    const guesser = await h.worker('guesser')
    await guesser.register()
    expect(
      await guesser.submitOnboarding({ q0: 'positive', q1: 'positive', q2: 'positive' }),
    ).toMatchObject({ accepted: false })

    const alice = await h.worker('alice')
    const quiz = await alice.register()
    expect(quiz).toMatchObject({ accepted: true, onboarding: true })
    const unit = await alice.submitOnboarding({ q0: 'positive', q1: 'negative', q2: 'neutral' })
    expect(unit).toMatchObject({ accepted: true, initTaskData: { id: 't1' } })
    await alice.submit({ label: 'positive', comment: '' })
    expect(await h.results()).toMatchObject([
      { worker: 'alice', item: { id: 't1' }, data: { label: 'positive' } },
    ])
    expect(await h.stop()).toMatchObject({ completed: 1, expired: 7, done: true })
  })
})
