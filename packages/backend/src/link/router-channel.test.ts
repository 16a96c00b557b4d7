import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocketServer, type WebSocket } from 'ws'
import { CloseCode, PacketType, faustAliveData, type RouterToBackendPacket } from '@faust/protocol'
import { FakeClock, fullPacket, within } from '@faust/testing'
import type { BackendLogger } from '../util/logger.js'
import { RouterChannel, defaultReconnectDelayMs } from './router-channel.js'

const TOKEN = 'secret-token'
const WAIT_MS = 5000

/** Items in arrival order; `next()` takes the oldest unread one, waiting (bounded) for it. */
class Queue<TItem> {
  readonly #items: TItem[] = []
  readonly #waiters: ((item: TItem) => void)[] = []

  push(item: TItem): void {
    const waiter = this.#waiters.shift()
    if (waiter === undefined) this.#items.push(item)
    else waiter(item)
  }

  next(what: string): Promise<TItem> {
    if (this.#items.length > 0) return Promise.resolve(this.#items.shift() as TItem)
    return within(new Promise((resolve) => this.#waiters.push(resolve)), WAIT_MS, what)
  }

  get unread(): number {
    return this.#items.length
  }
}

/** A FakeClock that reports the delay of every timeout set on it. */
class WatchedClock extends FakeClock {
  readonly delays = new Queue<number>()

  override setTimeout(callback: () => void, delayMs: number): ReturnType<FakeClock['setTimeout']> {
    const handle = super.setTimeout(callback, delayMs)
    this.delays.push(delayMs)
    return handle
  }
}

/** The router's end of one backend socket. */
interface Link {
  readonly socket: WebSocket
  readonly request: IncomingMessage
  readonly messages: Queue<Record<string, unknown>>
  readonly closed: Promise<{ code: number; reason: string }>
}

/**
 * A stand-in router: accepts backend sockets while `up`, and while down
 * drops every upgrade before it completes (as a router that is away would).
 */
class FakeRouter {
  up = true
  /** While set, upgrades are answered with this HTTP status instead (a router refusing the socket). */
  refuseWith: number | null = null
  readonly links = new Queue<Link>()
  readonly refused = new Queue<IncomingMessage>()
  readonly #http: Server = createServer()
  readonly #wss = new WebSocketServer({ noServer: true })

  async start(): Promise<string> {
    this.#http.on('upgrade', (request: IncomingMessage, socket, head) => {
      if (!this.up) {
        socket.destroy()
        this.refused.push(request)
        return
      }
      if (this.refuseWith !== null) {
        socket.end(`HTTP/1.1 ${String(this.refuseWith)} Refused\r\nContent-Length: 0\r\n\r\n`)
        this.refused.push(request)
        return
      }
      this.#wss.handleUpgrade(request, socket, head, (ws) => {
        const messages = new Queue<Record<string, unknown>>()
        ws.on('message', (data: Buffer) => {
          messages.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>)
        })
        const closed = new Promise<{ code: number; reason: string }>((resolve) => {
          ws.on('close', (code, reason) => {
            resolve({ code, reason: reason.toString('utf8') })
          })
        })
        this.links.push({ socket: ws, request, messages, closed })
      })
    })
    await new Promise<void>((resolve) => this.#http.listen(0, '127.0.0.1', resolve))
    const { port } = this.#http.address() as AddressInfo
    return `ws://127.0.0.1:${String(port)}/`
  }

  async stop(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate()
    this.#wss.close()
    this.#http.closeAllConnections()
    await new Promise((resolve) => this.#http.close(resolve))
  }
}

class RecordingLogger implements BackendLogger {
  readonly lines = new Queue<{ level: string; message: string }>()
  readonly all: { level: string; message: string }[] = []
  debug(): void {
    // socket errors: not asserted on
  }
  info(_details: object, message: string): void {
    this.#add('info', message)
  }
  warn(_details: object, message: string): void {
    this.#add('warn', message)
  }
  error(_details: object, message: string): void {
    this.#add('error', message)
  }
  #add(level: string, message: string): void {
    this.all.push({ level, message })
    this.lines.push({ level, message })
  }
}

const packet = (type: string, subjectId: string, data: unknown): Record<string, unknown> =>
  fullPacket(type, subjectId, data, 1767225600)

describe('RouterChannel', () => {
  const cleanups: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  async function connect(
    options: { maxOutbox?: number; aliveData?: Record<string, unknown> } = {},
  ): Promise<{
    router: FakeRouter
    channel: RouterChannel
    clock: WatchedClock
    logger: RecordingLogger
    link: Link
  }> {
    const router = new FakeRouter()
    const url = await router.start()
    cleanups.push(() => router.stop())
    const clock = new WatchedClock()
    const logger = new RecordingLogger()
    const channel = new RouterChannel({ url, token: TOKEN, clock, logger, ...options })
    cleanups.push(() => channel.close())
    await within(channel.start(), WAIT_MS, 'the channel to open')
    const link = await router.links.next('the backend socket')
    return { router, channel, clock, logger, link }
  }

  it('announces the extensions it is given in every alive (docs/protocol.md §14)', async () => {
    const { router, link, clock } = await connect({ aliveData: faustAliveData() })
    expect(await link.messages.next('alive')).toMatchObject({
      packet_type: PacketType.ALIVE,
      data: { faust_extensions: { stored_acks: 1 } },
    })
    link.socket.terminate()
    clock.advance(await clock.delays.next('the retry'))
    const again = await router.links.next('the reconnected socket')
    expect(await again.messages.next('alive again')).toMatchObject({
      data: { faust_extensions: { stored_acks: 1 } },
    })
  })

  it('connects with its token and says alive first', async () => {
    const { channel, link } = await connect()
    expect(link.request.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(channel.isOpen).toBe(true)
    expect(await link.messages.next('alive')).toEqual({
      packet_type: PacketType.ALIVE,
      subject_id: 'mephisto',
      data: {},
      client_timestamp: null,
      router_incoming_timestamp: null,
      router_outgoing_timestamp: null,
      server_timestamp: Date.UTC(2026, 0, 1) / 1000,
    })
    expect(channel.send({ packet_type: PacketType.REQUEST_STATUSES, data: {} })).toBe(true)
    expect(await link.messages.next('the sent packet')).toEqual({
      packet_type: PacketType.REQUEST_STATUSES,
      data: {},
    })
  })

  it('hands on valid packets; drops and logs bad ones without dropping the link', async () => {
    const { channel, link, logger } = await connect()
    const received = new Queue<RouterToBackendPacket>()
    channel.onPacket = (incoming) => {
      received.push(incoming)
    }
    link.socket.send('not json')
    link.socket.send(JSON.stringify(packet('no_such_type', 'a', {})))
    link.socket.send(Buffer.from('binary'), { binary: true })
    const statuses = packet(PacketType.RETURN_STATUSES, 'mephisto', { a: 'in task' })
    link.socket.send(JSON.stringify(statuses))

    expect(await received.next('the valid packet')).toEqual(statuses)
    expect(received.unread).toBe(0)
    expect(logger.all.map((line) => line.message)).toEqual([
      expect.stringMatching(/^dropped a bad packet from the router/) as unknown,
      expect.stringMatching(/^dropped a bad packet from the router/) as unknown,
    ])
    expect(channel.isOpen).toBe(true)
  })

  it('reconnects after the router drops it, backing off while the router stays away', async () => {
    const { router, channel, clock, logger, link } = await connect()
    let opened = 0
    channel.onOpen = () => (opened += 1)
    router.up = false
    link.socket.terminate()

    // Each failed attempt waits twice as long as the one before, up to 5 s.
    expect(await clock.delays.next('the first retry')).toBe(200)
    expect(channel.isOpen).toBe(false)
    expect(await logger.lines.next('the warning')).toEqual({
      level: 'warn',
      message: 'lost the router; reconnecting',
    })
    clock.advance(199)
    expect(router.refused.unread).toBe(0)
    clock.advance(1)
    await router.refused.next('the second attempt')
    expect(await clock.delays.next('the second retry')).toBe(400)
    clock.advance(400)
    await router.refused.next('the third attempt')
    expect(await clock.delays.next('the third retry')).toBe(800)

    router.up = true
    clock.advance(800)
    const again = await router.links.next('the new socket')
    expect(again.request.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(await again.messages.next('alive again')).toMatchObject({ packet_type: 'alive' })
    expect(await logger.lines.next('the reconnect line')).toEqual({
      level: 'info',
      message: 'reconnected to the router',
    })
    expect(opened).toBe(1)
    expect(channel.isOpen).toBe(true)
    // An open link starts the count again.
    again.socket.terminate()
    expect(await clock.delays.next('the retry after the new link drops')).toBe(200)
  })

  it('retries with backoff when the router answers the upgrade with an HTTP error', async () => {
    const { router, channel, clock, logger, link } = await connect()
    // A restarting router (or one behind a proxy) answers 503 for a while.
    router.refuseWith = 503
    link.socket.terminate()
    expect(await clock.delays.next('the first retry')).toBe(200)
    await logger.lines.next('the warning')
    clock.advance(200)
    await router.refused.next('the refused attempt')
    expect(await logger.lines.next('the refusal')).toEqual({
      level: 'error',
      message: 'the router refused the backend socket (is the token right?)',
    })
    // The refused attempt ends like any failed one: the next retry is armed.
    expect(await clock.delays.next('the retry after the refusal')).toBe(400)
    router.refuseWith = null
    clock.advance(400)
    const again = await router.links.next('the socket accepted again')
    expect(await again.messages.next('alive again')).toMatchObject({ packet_type: 'alive' })
    expect(channel.isOpen).toBe(true)
  })

  it('keeps packets while the router is away and delivers them after alive, in order', async () => {
    const { router, channel, clock, link } = await connect({ maxOutbox: 2 })
    await link.messages.next('alive')
    router.up = false
    link.socket.terminate()
    await clock.delays.next('the retry')

    expect(channel.send(packet(PacketType.UPDATE_STATUS, 'a', { status: 'in task' }))).toBe(true)
    expect(channel.send(packet(PacketType.UPDATE_STATUS, 'b', { status: 'waiting' }))).toBe(true)
    // The outbox is full: the third is dropped, not queued.
    expect(channel.send(packet(PacketType.UPDATE_STATUS, 'c', { status: 'waiting' }))).toBe(false)
    // A packet that cannot be encoded is dropped too.
    expect(channel.send({ packet_type: 'x', data: 10n })).toBe(false)

    router.up = true
    clock.advance(200)
    const again = await router.links.next('the new socket')
    const types: unknown[] = []
    for (let index = 0; index < 3; index++) {
      const message = await again.messages.next(`message ${String(index)}`)
      types.push([message['packet_type'], message['subject_id']])
    }
    expect(types).toEqual([
      ['alive', 'mephisto'],
      ['update_status', 'a'],
      ['update_status', 'b'],
    ])
    expect(again.messages.unread).toBe(0)
  })

  it('says so when another backend took over the router', async () => {
    const { link, logger } = await connect()
    link.socket.close(CloseCode.BACKEND_REPLACED, 'replaced')
    expect(await logger.lines.next('the error')).toEqual({
      level: 'error',
      message: 'another backend took over this router: two backends are running against it',
    })
  })

  it('closes with 1000 and stops reconnecting, also while waiting to retry', async () => {
    const { router, channel, clock, link } = await connect()
    await channel.close()
    expect(await link.closed).toEqual({ code: 1000, reason: 'backend stopping' })
    expect(channel.isOpen).toBe(false)
    expect(clock.pendingTimers).toBe(0)

    const second = await connect()
    second.router.up = false
    second.link.socket.terminate()
    await second.clock.delays.next('the retry')
    expect(second.clock.pendingTimers).toBe(1)
    await second.channel.close()
    expect(second.clock.pendingTimers).toBe(0)
    second.clock.advance(60_000)
    expect(second.router.refused.unread).toBe(0)
    expect(router.links.unread).toBe(0)
  })

  it('backs off 200 ms, doubling, at most 5 s by default', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(defaultReconnectDelayMs)).toEqual([
      200, 400, 800, 1600, 3200, 5000, 5000, 5000,
    ])
  })
})
