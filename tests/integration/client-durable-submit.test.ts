import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { faustAliveData } from '@faust/protocol'
import {
  createTaskClient,
  memoryStorage,
  type StorageLike,
  type Subscribable,
  type TaskClient,
  type TaskProvider,
  type TaskState,
} from '@faust/client'
import {
  FakeClock,
  startTestRouter,
  within,
  type AnyPacket,
  type TestBackend,
  type TestRouter,
} from '@faust/testing'

// Issue 11 end to end: @faust/client against a real router whose backend
// speaks the stored_acks extension (docs/protocol.md §14). The test backend
// sends the extension's packets itself. The page's clock is fake, so its
// retries come due when the test says; the router's is its own.

const WAIT_MS = 5000

function provider(submitted: unknown[]): TaskProvider {
  return {
    getWorkerName: () => 'bot-1',
    getAssignmentId: () => 'assignment-1',
    getAgentRegistration: () => ({
      worker_name: 'bot-1',
      agent_registration_id: 'assignment-1-bot-1',
      assignment_id: 'assignment-1',
      provider_type: 'mock',
    }),
    handleSubmitToProvider: (data) => {
      submitted.push(data)
    },
    getProviderURLParams: () => null,
  }
}

/** A page: its own fake clock (jitter 0), storage and provider. */
function page(
  t: TestRouter,
  storage: StorageLike = memoryStorage(),
): { client: TaskClient; clock: FakeClock; storage: StorageLike; submitted: unknown[] } {
  const clock = new FakeClock()
  const submitted: unknown[] = []
  const client = createTaskClient({
    baseUrl: t.router.url,
    fetch,
    WebSocket,
    clock,
    storage,
    random: () => 0,
    provider: provider(submitted),
  })
  return { client, clock, storage, submitted }
}

/** A backend that announces stored_acks; `announced` also sends `faust_announced`. */
async function extensionBackend(t: TestRouter, announced: boolean): Promise<TestBackend> {
  const backend = await t.connectBackend({ sendAlive: false })
  backend.packet('alive', 'mephisto', faustAliveData())
  if (announced) backend.packet('faust_announced', 'mephisto', {})
  return backend
}

/** Answers a registration as `agentId`, with Faust's extra agent_details keys. */
function admit(
  backend: TestBackend,
  request: AnyPacket,
  extra: Record<string, unknown> = {},
): void {
  backend.packet('agent_details', 'local_channel_1_0', {
    request_id: (request.data as { request_id: string }).request_id,
    worker_id: 'worker-1',
    agent_id: 'agent-1',
    init_task_data: null,
    failure_reason: null,
    ...extra,
  })
}

/** Confirms a held submission. */
function stored(backend: TestBackend, submission: AnyPacket): void {
  const ack = submission['faust_ack'] as { request_id: string }
  backend.packet('faust_stored', String(submission.subject_id), {
    request_id: ack.request_id,
    ok: true,
  })
}

async function registered(
  t: TestRouter,
  backend: TestBackend,
  storage?: StorageLike,
): Promise<ReturnType<typeof page>> {
  const p = page(t, storage)
  const started = p.client.start()
  admit(backend, await backend.next('register_agent'))
  expect((await within(started, WAIT_MS, 'registration')).agentId).toBe('agent-1')
  return p
}

function until(
  store: Subscribable<TaskState>,
  predicate: (state: TaskState) => boolean,
  what: string,
): Promise<TaskState> {
  return within(
    new Promise<TaskState>((resolve) => {
      const check = (): void => {
        if (!predicate(store.getSnapshot())) return
        stop()
        resolve(store.getSnapshot())
      }
      const stop = store.subscribe(check)
      check()
    }),
    WAIT_MS,
    what,
  )
}

function submissionKey(packet: AnyPacket): unknown {
  return (packet['faust_ack'] as { submission_id?: unknown } | undefined)?.submission_id
}

describe('submissions that are never lost', () => {
  it('retries across a router restart: network errors, then 503 AGENT_NOT_YET_KNOWN with Retry-After, then lands once', async () => {
    const first = await startTestRouter()
    const port = Number(new URL(first.router.url).port)
    const { client, clock, submitted } = await registered(
      first,
      await extensionBackend(first, true),
    )
    await first[Symbol.asyncDispose]()

    const done = client.submit({ answer: 'kept' })
    await until(client, (s) => s.submission?.error?.code === 'NETWORK', 'the router is down')

    await using second = await startTestRouter({ port })
    const backend = await extensionBackend(second, false)
    clock.advance(500)
    const refused = await until(
      client,
      (s) => s.submission?.error?.code === 'AGENT_NOT_YET_KNOWN',
      'the restarted router does not know the agent yet',
    )
    expect(refused.submission).toMatchObject({
      state: 'saving',
      attempts: 2,
      error: { status: 503, retryAfterMs: 1000 },
    })

    backend.pushStatus('agent-1', 'in task')
    backend.packet('faust_announced', 'mephisto', {})
    await backend.requestStatuses()
    clock.advance(1000)
    const unit = await backend.next('submit_unit')
    expect(unit).toMatchObject({ subject_id: 'agent-1', data: { answer: 'kept' } })
    expect(submissionKey(unit)).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/))
    stored(backend, unit)
    await within(done, WAIT_MS, 'the acknowledged submission')
    expect(client.getSnapshot()).toMatchObject({
      status: 'ready',
      submittedData: { answer: 'kept' },
      submission: { state: 'saved', attempts: 3, error: null },
    })
    expect(submitted).toEqual([{ answer: 'kept' }])
    expect(backend.received.filter((p) => p.packet_type === 'submit_unit')).toHaveLength(1)
    client.stop()
  })

  it('a reload resends the unacknowledged submission with the same key', async () => {
    await using t = await startTestRouter()
    const backend = await extensionBackend(t, true)
    const before = await registered(t, backend)
    void before.client.submit({ answer: 'typed before the reload' }).catch(() => undefined)
    const held = await backend.next('submit_unit')
    // The page reloads before the backend confirmed: the held reply is lost.
    before.client.stop()

    const after = await registered(t, backend, before.storage)
    const resent = await backend.next('submit_unit', (p) => p !== held)
    expect(resent.data).toEqual(held.data)
    expect(submissionKey(resent)).toBe(submissionKey(held))
    expect(after.client.getSnapshot().submission?.state).toBe('saving')
    stored(backend, resent)
    const state = await until(after.client, (s) => s.status === 'submitted', 'submitted')
    expect(state.submittedData).toEqual({ answer: 'typed before the reload' })
    expect(after.submitted).toEqual([{ answer: 'typed before the reload' }])
    expect(after.storage.getItem('faust:pending-submission:agent-1')).toBeNull()
    after.client.stop()
  })

  it('a registration answer with agent_status completed shows submitted, not a form', async () => {
    await using t = await startTestRouter()
    const backend = await extensionBackend(t, true)
    const p = page(t)
    const started = p.client.start()
    admit(backend, await backend.next('register_agent'), {
      agent_status: 'completed',
      submitted_data: { answer: 'from the store' },
    })
    expect(await within(started, WAIT_MS, 'registration')).toMatchObject({
      status: 'submitted',
      blockedReason: 'already_submitted',
      submittedData: { answer: 'from the store' },
    })
    p.client.stop()
  })
})
