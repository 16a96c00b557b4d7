import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { WebSocketServer, type WebSocket } from 'ws'
import { AgentStatus, PacketType } from '@faust/protocol'
import { defineTask, runTask, type TaskOptions } from '@faust/backend'
import { openDatabase } from '@faust/backend/store'
import { FakeClock, TestSocket, fullPacket, startTestRouter, within } from '@faust/testing'

/** The router's end of the backend socket: the test plays the router. */
class RouterEnd extends TestSocket {
  constructor(socket: WebSocket) {
    super(socket)
  }
}

/** A WebSocket server standing in for the router, handing each backend connection to the test. */
async function fakeRouter(): Promise<{
  url: string
  next(): Promise<RouterEnd>
  close(): Promise<void>
}> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>((resolve) => server.once('listening', resolve))
  const waiting: ((end: RouterEnd) => void)[] = []
  const arrived: RouterEnd[] = []
  server.on('connection', (socket) => {
    const end = new RouterEnd(socket)
    const waiter = waiting.shift()
    if (waiter !== undefined) waiter(end)
    else arrived.push(end)
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `ws://127.0.0.1:${String(port)}/`,
    next: () => {
      const ready = arrived.shift()
      if (ready !== undefined) return Promise.resolve(ready)
      return within(
        new Promise<RouterEnd>((resolve) => waiting.push(resolve)),
        3000,
        'the backend to connect',
      )
    },
    close: async () => {
      for (const client of server.clients) client.terminate()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

async function setup(options: Partial<TaskOptions> = {}) {
  const router = await fakeRouter()
  const clock = new FakeClock()
  const dataDir = await mkdtemp(join(tmpdir(), 'faust-acks-'))
  const uploadDir = join(dataDir, 'uploads')
  await mkdir(uploadDir)
  const store = await openDatabase({ dataDir, clock })
  const task = defineTask({
    name: 'label',
    page: 'dist',
    data: [{ text: 'a' }, { text: 'b' }, { text: 'c' }],
    ...options,
  })
  const running = runTask({
    task,
    baseDir: dataDir,
    store,
    clock,
    router: { socketUrl: router.url, httpUrl: 'http://127.0.0.1:1', token: 't', uploadDir },
  })
  let end = await router.next()
  const run = await running
  let requests = 0
  const s = {
    store,
    run,
    clock,
    get end() {
      return end
    },
    async reconnect(): Promise<RouterEnd> {
      end.socket.terminate()
      // The backend retries after 200 ms of its (fake) clock, once it has seen the close.
      const next = router.next()
      const tick = setInterval(() => {
        clock.advance(200)
      }, 10)
      try {
        end = await next
      } finally {
        clearInterval(tick)
      }
      return end
    },
    async register(worker: string): Promise<string> {
      requests += 1
      const requestId = `req-${String(requests)}`
      end.send(
        fullPacket(PacketType.REGISTER_AGENT, requestId, {
          provider_data: { worker_name: worker, agent_registration_id: `asg-${worker}` },
          request_id: requestId,
        }),
      )
      const details = await end.next(
        PacketType.AGENT_DETAILS,
        (packet) => (packet.data as { request_id: string }).request_id === requestId,
      )
      return (details.data as { agent_id: string }).agent_id
    },
    /** Relays a submission as a router holding its reply does, and returns the confirmation. */
    async submit(
      type: string,
      agentId: string,
      data: unknown,
      submissionId: string | null,
    ): Promise<unknown> {
      requests += 1
      const requestId = `held-${String(requests)}`
      end.send({
        ...fullPacket(type, agentId, data),
        faust_ack: { request_id: requestId, submission_id: submissionId },
      })
      const stored = await end.next(
        PacketType.FAUST_STORED,
        (packet) => (packet.data as { request_id: string }).request_id === requestId,
      )
      expect(stored.subject_id).toBe(agentId)
      const rest: Record<string, unknown> = { ...(stored.data as Record<string, unknown>) }
      delete rest['request_id']
      return rest
    },
    async rows(agentId: string): Promise<number> {
      const { rows } = await sql<{ n: number }>`select count(*) as n from submissions
        where agent_id = ${agentId}`.execute(store.db)
      return rows[0]?.n ?? 0
    },
    async [Symbol.asyncDispose]() {
      await run.stop()
      await store.close()
      await router.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
  return s
}

describe('the backend side of stored_acks, over a real socket', () => {
  it('announces the extension, and its (empty) list of agents, on connecting', async () => {
    await using s = await setup()
    const alive = await s.end.next()
    expect(alive).toMatchObject({
      packet_type: PacketType.ALIVE,
      subject_id: 'mephisto',
      data: { faust_extensions: { stored_acks: 1 } },
    })
    expect(await s.end.next()).toMatchObject({
      packet_type: PacketType.FAUST_ANNOUNCED,
      subject_id: 'mephisto',
      data: {},
    })
  })

  it('confirms a held submission once stored, a retry without storing it again, and refuses the rest by code', async () => {
    await using s = await setup()
    const agentId = await s.register('w1')
    expect(await s.submit(PacketType.SUBMIT_UNIT, agentId, { label: 'yes' }, 'key-1')).toEqual({
      ok: true,
    })
    // Confirmed after the commit: the row is there when the router hears of it.
    expect(await s.store.submissions.get(agentId)).toMatchObject({
      data: { label: 'yes' },
      submissionKey: 'key-1',
    })
    expect((await s.store.agents.get(agentId))?.status).toBe(AgentStatus.COMPLETED)
    expect(await s.submit(PacketType.SUBMIT_UNIT, agentId, { label: 'yes' }, 'key-1')).toEqual({
      ok: true,
    })
    expect(await s.submit(PacketType.SUBMIT_UNIT, agentId, { label: 'no' }, 'key-2')).toMatchObject(
      { ok: false, code: 'ALREADY_SUBMITTED' },
    )
    expect(await s.rows(agentId)).toBe(1)
    expect(await s.submit(PacketType.SUBMIT_UNIT, '999999999', { label: 'x' }, null)).toMatchObject(
      { ok: false, code: 'AGENT_UNKNOWN' },
    )
    expect(await s.submit(PacketType.SUBMIT_METADATA, agentId, { feedback: 'ok' }, null)).toEqual({
      ok: true,
    })
    // A submission without faust_ack (Mephisto's router) is handled, and not answered.
    const other = await s.register('w2')
    s.end.send(fullPacket(PacketType.SUBMIT_UNIT, other, { label: 'plain' }))
    await within(
      (async () => {
        while ((await s.store.submissions.get(other)) === null)
          await new Promise((resolve) => setTimeout(resolve, 5))
      })(),
      3000,
      'the plain submission to be stored',
    )
    expect(s.end.takeUnread(PacketType.FAUST_STORED)).toEqual([])
  })

  it('answers STORE_FAILED on a full disk (real SQLITE_FULL); the retry is stored exactly once', async () => {
    await using s = await setup()
    const agentId = await s.register('w1')
    const answer = { essay: 'x'.repeat(64 * 1024) }
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(s.store.db)
    await sql.raw(`pragma max_page_count = ${String(rows[0]?.page_count ?? 0)}`).execute(s.store.db)
    expect(await s.submit(PacketType.SUBMIT_UNIT, agentId, answer, 'key-1')).toEqual({
      ok: false,
      code: 'STORE_FAILED',
      message: 'the backend could not store the submission (SQLITE_FULL); retry later',
    })
    expect((await s.store.agents.get(agentId))?.status).toBe(AgentStatus.IN_TASK)

    await sql`pragma max_page_count = 1073741823`.execute(s.store.db)
    expect(await s.submit(PacketType.SUBMIT_UNIT, agentId, answer, 'key-1')).toEqual({ ok: true })
    expect(await s.submit(PacketType.SUBMIT_UNIT, agentId, answer, 'key-1')).toEqual({ ok: true })
    expect(await s.rows(agentId)).toBe(1)
    expect((await s.store.agents.get(agentId))?.status).toBe(AgentStatus.COMPLETED)
  })

  it('re-announces every agent still working after a reconnect, then faust_announced', async () => {
    await using s = await setup()
    const done = await s.register('w1')
    const working = await s.register('w2')
    await s.submit(PacketType.SUBMIT_UNIT, done, { label: 'yes' }, 'k')
    const end = await s.reconnect()
    await end.next(PacketType.FAUST_ANNOUNCED)
    // In order: alive, the list, then the word that it is complete (status polls aside).
    expect(
      end.received
        .filter((packet) => packet.packet_type !== PacketType.REQUEST_STATUSES)
        .map((packet) => [packet.packet_type, packet.subject_id, packet.data]),
    ).toEqual([
      [PacketType.ALIVE, 'mephisto', { faust_extensions: { stored_acks: 1 } }],
      [PacketType.UPDATE_STATUS, working, { status: AgentStatus.IN_TASK }],
      [PacketType.FAUST_ANNOUNCED, 'mephisto', {}],
    ])
  })
})

describe('re-announcement to a real router that restarted', () => {
  it('a restarted router admits the page of an agent it never saw, once the backend re-announced it', async () => {
    const first = await startTestRouter()
    const port = Number(new URL(first.router.url).port)
    const dataDir = await mkdtemp(join(tmpdir(), 'faust-acks-'))
    const store = await openDatabase({ dataDir, clock: first.clock })
    const run = await runTask({
      task: defineTask<unknown>({ name: 'label', page: 'dist', data: [{ text: 'a' }] }),
      baseDir: dataDir,
      store,
      clock: first.clock,
      router: {
        socketUrl: first.router.socketUrl,
        httpUrl: first.router.url,
        token: first.token,
        uploadDir: first.uploadDir,
      },
    })
    try {
      const registered = await first.post('/request_agent', {
        provider_data: { worker_name: 'w1', agent_registration_id: 'asg-w1' },
      })
      const agentId = (registered.body as { data: { agent_id: string } }).data.agent_id
      await first[Symbol.asyncDispose]()

      // The same address, a new router that knows no agent; same clock for the backend's retry.
      await using second = await startTestRouter({ port, backendToken: first.token })
      first.clock.advance(200)
      const admitted = await within(
        (async () => {
          for (;;) {
            const agent = await second.connectAgent(agentId)
            agent.alive()
            const outcome = await Promise.race([
              agent.next('update_status').then((packet) => ({ packet })),
              agent.closed.then((closed) => ({ closed })),
            ])
            if ('packet' in outcome) return outcome.packet.data
            // Refused before the backend was back; the page would reconnect too.
            first.clock.advance(5000)
            await new Promise((resolve) => setTimeout(resolve, 20))
          }
        })(),
        5000,
        'the restarted router to admit the agent',
      )
      // The status the backend re-announced: the new router had never seen the agent.
      expect(admitted).toEqual({ status: AgentStatus.IN_TASK })
    } finally {
      await run.stop()
      await store.close()
      await rm(dataDir, { recursive: true, force: true })
    }
  })
})
