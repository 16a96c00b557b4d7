import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import {
  createTaskClient,
  type LiveUpdate,
  type Subscribable,
  type TaskClient,
  type TaskClientOptions,
  type TaskProvider,
} from '@faust/client'
import { FakeClock, startTestRouter, within, type TestRouter } from '@faust/testing'

// The core driven from Node as a bot or a test would: the `ws` package's
// WebSocket, Node's global fetch, a real router on a loopback port.

const WAIT_MS = 3000

function provider(submitted: unknown[] = []): TaskProvider {
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

function nodeClient(t: TestRouter, options: Partial<TaskClientOptions> = {}): TaskClient {
  return createTaskClient({
    baseUrl: t.router.url,
    fetch,
    WebSocket,
    provider: provider(),
    live: true,
    ...options,
  })
}

/** Resolves with the first snapshot that satisfies `predicate`. */
function until<TSnapshot>(
  store: Subscribable<TSnapshot>,
  predicate: (snapshot: TSnapshot) => boolean,
  what: string,
): Promise<TSnapshot> {
  return within(
    new Promise<TSnapshot>((resolve) => {
      const check = (): void => {
        const snapshot = store.getSnapshot()
        if (!predicate(snapshot)) return
        stop()
        resolve(snapshot)
      }
      const stop = store.subscribe(check)
      check()
    }),
    WAIT_MS,
    what,
  )
}

/** Resolves with the next live update the client delivers that satisfies `predicate`. */
function nextLiveUpdate(
  client: TaskClient,
  predicate: (update: LiveUpdate) => boolean = () => true,
): Promise<LiveUpdate> {
  return within(
    new Promise<LiveUpdate>((resolve) => {
      const stop = client.live.onLiveUpdate((update) => {
        if (!predicate(update)) return
        stop()
        resolve(update)
      })
    }),
    WAIT_MS,
    'a live update',
  )
}

describe('@faust/client in Node against a real router', () => {
  it('registers, goes live, exchanges statuses, live updates and remote procedures, and submits', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    const submitted: unknown[] = []
    const client = nodeClient(t, { provider: provider(submitted) })
    const replayed: LiveUpdate[] = []
    client.live.onLiveUpdate((update) => replayed.push(update))

    const started = client.start()
    const registration = await backend.next('register_agent')
    expect((registration.data as { provider_data: unknown }).provider_data).toEqual({
      worker_name: 'bot-1',
      agent_registration_id: 'assignment-1-bot-1',
      assignment_id: 'assignment-1',
      provider_type: 'mock',
    })
    const past = [{ text: 'from before a reload', update_id: 'past-1' }]
    backend.answer(registration, {
      agentId: 'agent-1',
      initTaskData: { task_data: { topic: 'cats' }, past_live_updates: past },
    })
    expect(await within(started, WAIT_MS, 'registration')).toMatchObject({
      status: 'ready',
      agentId: 'agent-1',
      mephistoWorkerId: 'worker-1',
      taskConfig: { task_title: 'Fixture task' },
    })

    client.live.connect()
    await until(client.live, (live) => live.connectionStatus === 'connected', 'connected')
    expect(replayed).toEqual(past)
    // The router answers alive with the cached status (`none`), then the backend's pushes.
    await until(client.live, (live) => live.agentStatus === 'none', 'the status on connect')
    backend.pushStatus('agent-1', 'in task')
    await until(client.live, (live) => live.agentStatus === 'in task', 'in task')

    const greeting = nextLiveUpdate(client, (update) => update['text'] === 'hello')
    backend.sendLiveUpdate('agent-1', { text: 'hello', update_id: 'u-1' })
    expect(await greeting).toEqual({ text: 'hello', update_id: 'u-1' })

    const sent = await client.live.sendLiveUpdate({ text: 'hi back' })
    const upstream = await backend.next('mephisto_bound_live_update')
    expect(upstream).toMatchObject({ subject_id: 'agent-1', data: sent })

    const sum = client.live.remoteProcedure<{ a: number; b: number }, number>('add')({ a: 1, b: 2 })
    const request = await backend.next('mephisto_bound_live_update')
    const { request_id: requestId, target, args } = request.data as Record<string, string>
    expect([target, JSON.parse(String(args))]).toEqual(['add', { a: 1, b: 2 }])
    backend.sendLiveUpdate('agent-1', { handles: requestId, response: '3' })
    expect(await within(sum, WAIT_MS, 'the procedure answer')).toBe(3)

    const failing = client.live.call('divide', { by: 0 })
    const failingRequest = await backend.next('mephisto_bound_live_update')
    backend.sendLiveUpdate('agent-1', {
      handles: (failingRequest.data as { request_id: string }).request_id,
      error: { message: 'division by zero' },
    })
    await expect(failing).rejects.toMatchObject({ code: 'REMOTE', message: 'division by zero' })

    await within(client.submit({ answer: 'done' }), WAIT_MS, 'submit')
    const unit = await backend.next('submit_unit')
    expect(unit).toMatchObject({ subject_id: 'agent-1', data: { answer: 'done' } })
    expect(submitted).toEqual([{ answer: 'done' }])
    client.stop()
  })

  it('submits files as multipart through the real router', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    const client = nodeClient(t, { live: false })
    const started = client.start()
    backend.answer(await backend.next('register_agent'), { agentId: 'agent-2' })
    await within(started, WAIT_MS, 'registration')
    const photo = new Blob(['not really a png'], { type: 'image/png' })
    await within(
      client.submitTask({ caption: 'a cat' }, { files: { photo } }),
      WAIT_MS,
      'multipart submit',
    )
    const unit = await backend.next('submit_unit')
    const data = unit.data as { caption: string; files: { fieldname: string; size: number }[] }
    expect(data.caption).toBe('a cat')
    expect(data.files).toMatchObject([{ fieldname: 'photo', size: 16 }])
  })

  it('shows a refusal, and turns a missing backend into an error it can retry', async () => {
    await using t = await startTestRouter()
    const refused = nodeClient(t, { maxAttempts: 1 })
    const state = await within(refused.start(), WAIT_MS, 'a registration without backend')
    expect(state.status).toBe('error')
    expect(state.error).toMatchObject({ code: 'BACKEND_UNAVAILABLE', status: 503 })

    const backend = await t.connectBackend()
    const retried = refused.retry()
    backend.answer(await backend.next('register_agent'), {
      agentId: null,
      workerId: 'worker-1',
      failureReason: 'There is currently no available work, please try again later...',
    })
    expect(await within(retried, WAIT_MS, 'the retried registration')).toMatchObject({
      status: 'blocked',
      blockedReason: 'null_agent_id',
      blockedExplanation: 'There is currently no available work, please try again later...',
    })
  })

  it('stops for good when a newer tab takes the agent over (4410), and does not take it back', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    // The older tab runs on its own clock, so the test can let any reconnect come due.
    const oldTabClock = new FakeClock()
    const oldTab = nodeClient(t, { clock: oldTabClock })
    const newTab = nodeClient(t)
    for (const client of [oldTab, newTab]) {
      const started = client.start()
      backend.answer(await backend.next('register_agent'), { agentId: 'agent-5' })
      await within(started, WAIT_MS, 'registration')
    }
    oldTab.live.connect()
    await until(oldTab.live, (live) => live.connectionStatus === 'connected', 'old tab connected')
    newTab.live.connect()
    await until(newTab.live, (live) => live.connectionStatus === 'connected', 'new tab connected')
    const replaced = await until(
      oldTab.live,
      (live) => live.connection.status === 'closed',
      'the old tab to be closed',
    )
    expect(replaced).toMatchObject({
      connection: { status: 'closed', reason: 'replaced', code: 4410 },
      connectionStatus: 'disconnected',
    })

    // Long past every reconnect delay: the old tab stays closed and the new one keeps the agent.
    oldTabClock.advance(120_000)
    const update = nextLiveUpdate(newTab, (received) => received['n'] === 1)
    backend.sendLiveUpdate('agent-5', { n: 1, update_id: 'after-takeover' })
    expect(await update).toMatchObject({ n: 1 })
    expect(oldTab.live.getSnapshot().connection).toMatchObject({ status: 'closed' })
    expect(newTab.live.getSnapshot().connectionStatus).toBe('connected')
    oldTab.stop()
    newTab.stop()
  })

  it('is blocked with already_submitted when a second submission with other data is refused (409)', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    const client = nodeClient(t, { live: false })
    const started = client.start()
    backend.answer(await backend.next('register_agent'), { agentId: 'agent-6' })
    await within(started, WAIT_MS, 'registration')
    await within(client.submitTask({ answer: 1 }), WAIT_MS, 'the first submit')
    await within(client.submitTask({ answer: 1 }), WAIT_MS, 'an identical retry')
    expect(client.getSnapshot().status).toBe('ready')

    await expect(client.submitTask({ answer: 2 })).rejects.toMatchObject({
      code: 'ALREADY_SUBMITTED',
      status: 409,
    })
    expect(client.getSnapshot()).toMatchObject({
      status: 'blocked',
      blockedReason: 'already_submitted',
      blockedExplanation:
        'This task was already submitted with different answers; the first submission was kept.',
    })
  })

  it("judges the backend's liveness on the router's clock, not the page's", async () => {
    // The router's own liveness checks are pushed out of the way: only the
    // backend's silence matters here.
    await using t = await startTestRouter({ heartbeatTimeoutMs: 600_000 })
    const backend = await t.connectBackend()
    // The page's clock runs an hour ahead of the router's.
    const pageClock = new FakeClock(t.clock.now() + 3_600_000)
    const echoWaiters: (() => void)[] = []
    const nextHeartbeatEcho = (): Promise<void> =>
      within(new Promise<void>((resolve) => echoWaiters.push(resolve)), WAIT_MS, 'an echo')
    // The `ws` WebSocket, also telling the test when a heartbeat echo arrives.
    class WatchedWebSocket extends WebSocket {
      constructor(url: string) {
        super(url)
        this.on('message', (frame: Buffer) => {
          const packet = JSON.parse(frame.toString()) as { packet_type: string }
          if (packet.packet_type === 'heartbeat')
            for (const resolve of echoWaiters.splice(0)) resolve()
        })
      }
    }
    const client = nodeClient(t, { clock: pageClock, WebSocket: WatchedWebSocket })
    const started = client.start()
    backend.answer(await backend.next('register_agent'), { agentId: 'agent-3' })
    await within(started, WAIT_MS, 'registration')
    client.live.connect()
    await until(client.live, (live) => live.connectionStatus === 'connected', 'connected')

    // The backend polls: the echo of the first heartbeat is fresh on the
    // router's clock, an hour old on the page's; the page stays connected.
    await backend.requestStatuses()
    const fresh = nextHeartbeatEcho()
    pageClock.advance(500)
    await fresh
    expect(client.live.getSnapshot()).toMatchObject({
      connectionStatus: 'connected',
      agentStatus: 'none',
    })

    // The backend stops polling: 21 s later on the router's clock, the echo says so.
    t.clock.advance(21_000)
    pageClock.advance(6000)
    const gone = await until(
      client.live,
      (live) => live.connectionStatus === 'disconnected_server',
      'mephisto disconnect',
    )
    expect(gone).toMatchObject({
      agentStatus: 'mephisto disconnect',
      connection: { status: 'closed', reason: 'server_dead' },
    })
  })
})
