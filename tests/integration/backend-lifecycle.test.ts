// Submissions, deadlines and the end of a run (docs/protocol.md §7.2, §11 items 14, 15, 33–35 adapted).
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AgentStatus, FailureReason } from '@faust/protocol'
import { defineTask, runTask } from '@faust/backend'
import { UnitStatus, openDatabase } from '@faust/backend/store'
import {
  hold,
  nextCall,
  openHarness,
  statusPushed,
  taskOptions,
  type Harness,
} from '@faust/testing/backend'

async function postForm(h: Harness, form: FormData): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${h.t.router.url}/submit_task`, {
    method: 'POST',
    body: form,
    signal: AbortSignal.timeout(5000),
  })
  return { status: response.status, body: await response.json() }
}

describe('submissions', () => {
  it('stores a JSON submission as the agent’s data, pushes `completed` and ends the run when all units are done', async () => {
    await using h = await openHarness()
    const s = await h.startRun()
    const first = await s.register('w1')
    const second = await s.register('w2')
    await using page = await h.t.connectAgent(first.agent_id!)
    page.alive()
    await statusPushed(page, AgentStatus.IN_TASK)

    const completed = s.progressWhere((progress) => progress.completed === 1)
    expect(await s.submit(first.agent_id!, { label: 'positive' })).toEqual({
      status: 200,
      body: { status: 'Submitted!' },
    })
    await completed
    // The router forgets a page's socket when it submits (as the reference
    // does); the pushed `completed` is what a reconnecting page is told.
    await using reloaded = await h.t.connectAgent(first.agent_id!)
    reloaded.alive()
    await statusPushed(reloaded, AgentStatus.COMPLETED)
    const stored = await h.store.submissions.get(first.agent_id!)
    expect(stored).toMatchObject({ data: { label: 'positive' }, files: [] })

    await s.submit(second.agent_id!, { label: 'negative' })
    expect(await s.run.done).toMatchObject({ total: 2, completed: 2, expired: 0, done: true })
    await s.run.stop()
    expect((await h.store.taskRuns.get(s.runId))?.endedAt).toEqual(expect.any(Number))
    const units = await h.store.units.list({ taskRunId: s.runId })
    expect(units.map((unit) => unit.status)).toEqual([UnitStatus.COMPLETED, UnitStatus.COMPLETED])
  })

  it('copies multipart files into <runDir>/<assignment>/<agent>/ and lists them in the stored data', async () => {
    await using h = await openHarness()
    const s = await h.startRun()
    const agent = await s.register('w1')
    const image = new Uint8Array([137, 80, 78, 71, 0, 1, 2, 255])
    const form = new FormData()
    form.append('USED_AGENT_ID', agent.agent_id!)
    form.append('final_string_data', JSON.stringify({ answer: 'cat' }))
    form.append('photo', new Blob([image], { type: 'image/png' }), 'cat.png')
    form.append('notes', new Blob(['some notes'], { type: 'text/plain' }), 'my notes.txt')
    const completed = s.progressWhere((progress) => progress.completed === 1)
    expect(await postForm(h, form)).toEqual({ status: 200, body: { status: 'Submitted!' } })
    await completed

    const stored = await h.store.submissions.get(agent.agent_id!)
    const record = await h.store.agents.get(agent.agent_id!)
    const folder = join(h.store.runDirectory(s.runId), record!.assignmentId, record!.id)
    const data = stored!.data as {
      answer: string
      files: string[]
      filesByFields: Record<string, string[]>
    }
    expect(data.answer).toBe('cat')
    expect(data.files).toHaveLength(2)
    expect(data.filesByFields).toEqual({ photo: [data.files[0]], notes: [data.files[1]] })
    expect((await readdir(folder)).sort()).toEqual([...data.files].sort())
    expect(new Uint8Array(await readFile(join(folder, data.files[0]!)))).toEqual(image)
    expect(await readFile(join(folder, data.files[1]!), 'utf8')).toBe('some notes')
    expect(stored!.files).toMatchObject([
      { fieldName: 'photo', originalName: 'cat.png', mimetype: 'image/png', sizeBytes: 8 },
      { fieldName: 'notes', originalName: 'my notes.txt', sizeBytes: 10 },
    ])
    for (const file of stored!.files) {
      expect(join(h.dataDir, file.storedPath)).toBe(
        join(folder, data.files[stored!.files.indexOf(file)]!),
      )
    }
  })

  it('copies metadata files into the agent’s folder too, and stores their names (docs/protocol.md §2.7)', async () => {
    await using h = await openHarness()
    const s = await h.startRun()
    const agent = await s.register('w1')
    const form = new FormData()
    form.append('USED_AGENT_ID', agent.agent_id!)
    form.append('metadata', JSON.stringify({ worker_opinion: { questions: [] } }))
    form.append('attachment', new Blob(['screenshot bytes']), 'shot.png')
    const stored = nextCall(h.store.logs, 'addMetadata')
    const response = await fetch(`${h.t.router.url}/submit_metadata`, {
      method: 'POST',
      body: form,
      signal: AbortSignal.timeout(5000),
    })
    expect(await response.json()).toEqual({ status: 'Submitted metadata' })
    await stored

    const [entry] = await h.store.logs.listMetadata({ kind: 'agent', id: agent.agent_id! })
    const data = entry!.data as { files: string[]; filesByFields: Record<string, string[]> }
    expect(data.filesByFields).toEqual({ attachment: data.files })
    const record = await h.store.agents.get(agent.agent_id!)
    const folder = join(h.store.runDirectory(s.runId), record!.assignmentId, record!.id)
    expect(await readFile(join(folder, data.files[0]!), 'utf8')).toBe('screenshot bytes')
  })

  it('stores a repeated submit once, keeping the first; other data is refused with 409', async () => {
    await using h = await openHarness()
    const s = await h.startRun()
    const agent = await s.register('w1')
    const completed = s.progressWhere((progress) => progress.completed === 1)
    await s.submit(agent.agent_id!, { n: 1 })
    await completed
    // Metadata is handled after the submits of the same agent, in order:
    // once it is stored, the repeated submit has been handled too.
    const handled = nextCall(h.store.logs, 'addMetadata')
    // An identical retry is idempotent; other data was 200 and dropped before.
    expect((await s.submit(agent.agent_id!, { n: 1 })).status).toBe(200)
    expect((await s.submit(agent.agent_id!, { n: 2 })).status).toBe(409)
    await h.t.post('/submit_metadata', { USED_AGENT_ID: agent.agent_id, metadata: { note: 'x' } })
    await handled
    expect((await h.store.submissions.get(agent.agent_id!))?.data).toEqual({ n: 1 })
    const history = await h.store.agents.history(agent.agent_id!)
    expect(history.filter((change) => change.status === AgentStatus.COMPLETED)).toHaveLength(1)
    expect(await h.store.logs.listErrorLogs()).toEqual([])
  })

  it('stores one of two simultaneous submits of the same agent', async () => {
    await using h = await openHarness()
    const s = await h.startRun()
    const agent = await s.register('w1')
    const handled = nextCall(h.store.logs, 'addMetadata')
    const answers = await Promise.all([
      s.submit(agent.agent_id!, { n: 1 }),
      s.submit(agent.agent_id!, { n: 2 }),
    ])
    // The first to reach the router wins; the other is refused, never dropped silently.
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409])
    await h.t.post('/submit_metadata', { USED_AGENT_ID: agent.agent_id, metadata: {} })
    await handled
    const stored = await h.store.submissions.get(agent.agent_id!)
    expect(stored?.data).toEqual(answers[0]?.status === 200 ? { n: 1 } : { n: 2 })
    expect((await s.run.progress()).completed).toBe(1)
  })
})

describe('the assignment duration', () => {
  it('disconnects a silent static worker, offers the unit again, and keeps a late submit out of the results', async () => {
    await using h = await openHarness()
    const s = await h.startRun({ data: [{ text: 'only' }], assignmentDurationSeconds: 60 })
    const first = await s.register('w1')
    const released = s.progressWhere((progress) => progress.launched === 1)
    h.t.clock.advance(60_000)
    await released
    const record = await h.store.agents.get(first.agent_id!)
    expect(record?.status).toBe(AgentStatus.DISCONNECT)
    expect((await h.store.units.get(record!.unitId))?.status).toBe(UnitStatus.LAUNCHED)

    const second = await s.register('w2')
    expect(second).toMatchObject({ failure_reason: null, init_task_data: { text: 'only' } })
    expect((await h.store.agents.get(second.agent_id!))?.unitId).toBe(record!.unitId)

    // The first worker's reload does not get the old agent back (docs/protocol.md W15).
    expect(await s.register('w1')).toMatchObject({
      agent_id: null,
      failure_reason: FailureReason.TASK_MISSING,
    })

    const logged = nextCall(h.store.logs, 'addErrorLog')
    expect((await s.submit(first.agent_id!, { late: true })).status).toBe(200)
    await logged
    expect(await h.store.submissions.get(first.agent_id!)).toBeNull()
    expect(await h.store.logs.listErrorLogs({ kind: 'agent', id: first.agent_id! })).toMatchObject([
      { data: { reason: 'late submission', status: AgentStatus.DISCONNECT, data: { late: true } } },
    ])
    // The new holder submits normally.
    await s.submit(second.agent_id!, { on: 'time' })
    expect(await s.run.done).toMatchObject({ completed: 1, done: true })
  })
})

describe('stopping a run', () => {
  it('expires working agents (pushed) and unfinished units, and marks the run ended', async () => {
    await using h = await openHarness()
    const s = await h.startRun({ data: [{ text: 'a' }, { text: 'b' }, { text: 'c' }] })
    const working = await s.register('w1')
    const done = await s.register('w2')
    await using page = await h.t.connectAgent(working.agent_id!)
    page.alive()
    await statusPushed(page, AgentStatus.IN_TASK)
    const completed = s.progressWhere((progress) => progress.completed === 1)
    await s.submit(done.agent_id!, {})
    await completed

    const final = await s.run.stop()
    expect(final).toMatchObject({ total: 3, completed: 1, expired: 2, done: true })
    await statusPushed(page, AgentStatus.EXPIRED)
    expect((await h.store.agents.get(working.agent_id!))?.status).toBe(AgentStatus.EXPIRED)
    expect((await h.store.agents.get(done.agent_id!))?.status).toBe(AgentStatus.COMPLETED)
    const units = await h.store.units.list({ taskRunId: s.runId })
    expect(units.map((unit) => unit.status)).toEqual([
      UnitStatus.EXPIRED,
      UnitStatus.COMPLETED,
      UnitStatus.EXPIRED,
    ])
    expect((await h.store.taskRuns.get(s.runId))?.endedAt).toEqual(expect.any(Number))
    await expect(s.run.done).resolves.toMatchObject({ done: true })
  })

  it('leaves nothing half-written when stopped while a submission with files arrives', async () => {
    await using h = await openHarness()
    const s = await h.startRun()
    const agents = [await s.register('w1'), await s.register('w2')]
    const submits = agents.map((agent) => {
      const form = new FormData()
      form.append('USED_AGENT_ID', agent.agent_id!)
      form.append('final_string_data', JSON.stringify({ by: agent.agent_id }))
      form.append('file', new Blob([`content of ${agent.agent_id!}`]), 'f.txt')
      return postForm(h, form)
    })
    const stopped = s.run.stop()
    await stopped
    // A submission the run did not take before it stopped waits, held, for a
    // backend that never comes back (stored_acks): its page is answered at the
    // router's request timeout (30 s), never with an OK for what was not stored.
    h.t.clock.advance(30_000)
    await Promise.all(submits)
    await h.store.close()
    for (const agent of agents) {
      const record = await reopenedAgent(h, agent.agent_id!)
      const contents =
        record.submission === null
          ? null
          : await Promise.all(
              record.submission.files.map((file) =>
                readFile(join(h.dataDir, file.storedPath), 'utf8'),
              ),
            )
      // Either handed in completely (data, file and status), or not at all.
      expect([
        { status: AgentStatus.EXPIRED, contents: null },
        { status: AgentStatus.COMPLETED, contents: [`content of ${agent.agent_id!}`] },
      ]).toContainEqual({ status: record.status, contents })
    }
  })
})

/** Reads an agent and its submission through a fresh connection (the run's store is closed). */
async function reopenedAgent(h: Harness, agentId: string) {
  await using store = await openDatabase({ dataDir: h.dataDir, clock: h.t.clock })
  const agent = await store.agents.get(agentId)
  return { status: agent?.status, submission: await store.submissions.get(agentId) }
}

describe('launching', () => {
  it('keeps at most maxConcurrentUnits units launched or worked on', async () => {
    await using h = await openHarness()
    const data = [1, 2, 3, 4, 5].map((n) => ({ n }))
    const s = await h.startRun({ data, maxConcurrentUnits: 2 })
    const seen: number[] = []
    s.run.onProgress((progress) => seen.push(progress.launched + progress.inProgress))
    expect(await s.run.progress()).toMatchObject({ waiting: 3, launched: 2, inProgress: 0 })

    const a = await s.register('w1')
    const b = await s.register('w2')
    expect([a.init_task_data, b.init_task_data]).toEqual([{ n: 1 }, { n: 2 }])
    expect((await s.register('w3')).failure_reason).toBe(FailureReason.NO_AVAILABLE_UNITS)
    const refilled = s.progressWhere(
      (progress) => progress.completed === 1 && progress.launched === 1,
    )
    await s.submit(a.agent_id!, {})
    await refilled
    expect((await s.register('w3')).init_task_data).toEqual({ n: 3 })
    expect(Math.max(...seen)).toBeLessThanOrEqual(2)
    const units = await h.store.units.list({ taskRunId: s.runId })
    expect(units.filter((unit) => unit.status === UnitStatus.CREATED)).toHaveLength(2)
  })
})

describe('launching while progress is asked for', () => {
  it('never launches past maxConcurrentUnits when progress() runs beside a refresh', async () => {
    await using h = await openHarness()
    const data = [1, 2, 3, 4, 5].map((n) => ({ n }))
    const s = await h.startRun({ data, maxConcurrentUnits: 2 })
    const agent = await s.register('w1')
    // The completion's refresh is about to launch the next unit…
    const launching = hold(h.store.units, 'launch')
    await s.submit(agent.agent_id!, {})
    await launching.entered()
    // …while someone (the CLI's status line) asks for the progress.
    const asked = s.run.progress()
    const settled = s.progressWhere((progress) => progress.completed === 1)
    launching.release()
    await Promise.all([asked, settled])
    const counts = await h.store.units.summarize(s.runId)
    expect(counts.launched + counts.assigned).toBe(2)
    expect(counts.created).toBe(2)
  })
})

describe('bad task data', () => {
  it('fails before creating anything when the data file is missing, empty or malformed', async () => {
    await using h = await openHarness()
    await writeFile(join(h.dataDir, 'empty.jsonl'), '\n\n')
    await writeFile(join(h.dataDir, 'broken.jsonl'), '{"a":1}\n{oops\n')
    const start = (data: string) =>
      runTask({
        task: defineTask(taskOptions({ data })),
        baseDir: h.dataDir,
        store: h.store,
        clock: h.t.clock,
        router: { socketUrl: h.t.router.socketUrl, httpUrl: h.t.router.url, token: h.t.token },
      })
    await expect(start('missing.jsonl')).rejects.toThrow(/missing\.jsonl/)
    await expect(start('empty.jsonl')).rejects.toThrow(/no data/)
    await expect(start('broken.jsonl')).rejects.toThrow(/broken\.jsonl:2/)
    expect(await h.store.taskRuns.list()).toEqual([])
    expect(await h.store.tasks.list()).toEqual([])
    expect(h.t.router.stats().backendAttached).toBe(false)
  })

  it('fails clearly when the router cannot be reached, leaving no live-looking run', async () => {
    await using h = await openHarness()
    const lost = h.logger.next('lost the router')
    const started = runTask({
      task: defineTask(taskOptions()),
      baseDir: h.dataDir,
      store: h.store,
      clock: h.t.clock,
      logger: h.logger,
      connectTimeoutMs: 5000,
      // Nothing listens on port 1.
      router: { socketUrl: 'ws://127.0.0.1:1/', httpUrl: 'http://127.0.0.1:1', token: h.t.token },
    })
    const failed = started.then(
      () => new Error('runTask resolved'),
      (error: unknown) => error,
    )
    await lost
    h.t.clock.advance(5000)
    expect(await failed).toMatchObject({
      message: 'could not reach the router at ws://127.0.0.1:1/ within 5000 ms',
    })
    const runs = await h.store.taskRuns.list()
    expect(runs.map((run) => run.endedAt)).toEqual([expect.any(Number)])
    const counts = await h.store.units.summarize(runs[0]!.id)
    expect(counts).toMatchObject({ created: 0, launched: 0, expired: 2 })
  })
})
