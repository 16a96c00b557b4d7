import type { Socket } from 'node:net'
import WebSocket from 'ws'
import {
  CloseCode,
  PEER_JSON_LIMITS,
  PacketType,
  RouterToBackendPacket,
  SYSTEM_SUBJECT_ID,
  encodeJson,
  parsePacket,
  type Clock,
  type JsonLimits,
  type TimerHandle,
} from '@faust/protocol'
import type { BackendLogger } from '../util/logger.js'
import { backendPacket } from './backend-packet.js'
import type { PacketChannel } from './packet-channel.js'

/** Options of {@link RouterChannel}. */
export interface RouterChannelOptions {
  /** The router's socket address, e.g. `ws://127.0.0.1:3000/`. */
  readonly url: string
  /** The router's backend secret, sent as `Authorization: Bearer …`. */
  readonly token: string
  readonly clock: Clock
  readonly logger: BackendLogger
  /** Delay before reconnect attempt `attempt` (1, 2, …). @default 200 ms doubling, capped at 5 s */
  readonly reconnectDelayMs?: ((attempt: number) => number) | undefined
  /** Packets kept while the router is unreachable, delivered on reconnect. @default 10000 */
  readonly maxOutbox?: number | undefined
  /** Largest frame accepted from the router. @default 64 MiB */
  readonly maxFrameBytes?: number | undefined
  /**
   * Shape limits on the router's packets; a packet over them is dropped and
   * logged. The router has checked workers' values against its own limits;
   * these only keep out what could not be encoded again (docs/security.md).
   * @default PEER_JSON_LIMITS, with strings as long as a frame
   */
  readonly jsonLimits?: JsonLimits | undefined
  /**
   * The `data` of the `alive` sent on every open. A backend that answers the
   * `stored_acks` extension passes `faustAliveData()` (docs/protocol.md §14);
   * the default announces nothing, as Mephisto's backend does.
   * @default {}
   */
  readonly aliveData?: Readonly<Record<string, unknown>> | undefined
}

/** The default reconnect delay: 200 ms, doubling, at most 5 s. */
export function defaultReconnectDelayMs(attempt: number): number {
  return Math.min(5000, 200 * 2 ** Math.max(0, attempt - 1))
}

/**
 * The backend's WebSocket link to the router. Reconnects with backoff for as
 * long as it runs, sends `alive` on every (re)connect, keeps what it could not
 * send and delivers it after reconnecting. A bad packet from the router is
 * logged and dropped; it never resets the link (unlike Mephisto's, docs/protocol.md W11).
 */
export class RouterChannel implements PacketChannel {
  /** Called with every valid packet from the router. */
  onPacket: (packet: RouterToBackendPacket) => void = () => undefined
  /** Called after each (re)connect, once `alive` is sent and the outbox flushed. */
  onOpen: () => void = () => undefined

  readonly #options: RouterChannelOptions
  /** Encoded packets waiting for the router: encoded once, when sent. */
  readonly #outbox: string[] = []
  readonly #jsonLimits: JsonLimits
  #socket: WebSocket | null = null
  /** The TCP socket under `#socket`, to cork (see #send). */
  #tcp: Socket | null = null
  #corked = false
  #attempt = 0
  #retryTimer: TimerHandle | null = null
  #stopped = false
  #everOpened = false

  constructor(options: RouterChannelOptions) {
    this.#options = options
    this.#jsonLimits = options.jsonLimits ?? {
      ...PEER_JSON_LIMITS,
      maxStringLength: options.maxFrameBytes ?? PEER_JSON_LIMITS.maxStringLength,
    }
  }

  /** Packets waiting for the router to be back. */
  get outboxSize(): number {
    return this.#outbox.length
  }

  get isOpen(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN
  }

  /** Resolves once the first connection is open (the channel keeps retrying until then). */
  start(): Promise<void> {
    return new Promise((resolve) => {
      const previous = this.onOpen
      this.onOpen = () => {
        this.onOpen = previous
        previous()
        resolve()
      }
      this.#connect()
    })
  }

  /**
   * Sends now, or keeps the packet until the router is back. Returns false if
   * the outbox is full or the packet cannot be encoded (logged; a throw here
   * would end the run).
   */
  send(packet: Record<string, unknown>): boolean {
    const encoded = encodeJson(packet)
    if (!encoded.ok) {
      this.#options.logger.error(
        { code: encoded.error.code, type: packet['packet_type'] },
        `dropped a packet for the router: ${encoded.error.message}`,
      )
      return false
    }
    if (this.isOpen && this.#socket !== null) {
      this.#hold()
      this.#socket.send(encoded.value)
      return true
    }
    if (this.#outbox.length >= (this.#options.maxOutbox ?? 10_000)) {
      this.#options.logger.warn(
        { type: packet['packet_type'] },
        'router unreachable and outbox full; dropped a packet',
      )
      return false
    }
    this.#outbox.push(encoded.value)
    return true
  }

  /**
   * Holds the socket's writes until the end of this turn of the event loop,
   * so that the packets of a turn (an `agent_details` and the status after
   * it, the answers of a burst of registrations) leave in one system call:
   * one write per packet was a sixth of the backend's time under load.
   */
  #hold(): void {
    const tcp = this.#tcp
    if (this.#corked || tcp === null) return
    this.#corked = true
    tcp.cork()
    setImmediate(() => {
      this.#corked = false
      tcp.uncork()
    })
  }

  /** Stops reconnecting and closes the socket. */
  async close(): Promise<void> {
    this.#stopped = true
    if (this.#retryTimer !== null) this.#options.clock.clearTimeout(this.#retryTimer)
    const socket = this.#socket
    if (socket === null || socket.readyState === WebSocket.CLOSED) return
    await new Promise<void>((resolve) => {
      socket.once('close', () => {
        resolve()
      })
      socket.close(1000, 'backend stopping')
    })
  }

  #connect(): void {
    if (this.#stopped) return
    const { url, token, logger } = this.#options
    const socket = new WebSocket(url, {
      headers: { authorization: `Bearer ${token}` },
      perMessageDeflate: false,
      maxPayload: this.#options.maxFrameBytes ?? 64 * 1024 * 1024,
    })
    this.#socket = socket
    socket.on('upgrade', (response) => {
      this.#tcp = response.socket
    })
    socket.on('open', () => {
      this.#attempt = 0
      if (this.#everOpened) logger.info({ url }, 'reconnected to the router')
      this.#everOpened = true
      socket.send(
        JSON.stringify(
          backendPacket(this.#options.clock, {
            type: PacketType.ALIVE,
            subjectId: SYSTEM_SUBJECT_ID,
            data: this.#options.aliveData ?? {},
          }),
        ),
      )
      for (const text of this.#outbox.splice(0)) socket.send(text)
      this.onOpen()
    })
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) return
      const decoded = parsePacket(data.toString('utf8'), RouterToBackendPacket, this.#jsonLimits)
      if (!decoded.ok) {
        logger.warn(
          { code: decoded.error.code },
          `dropped a bad packet from the router: ${decoded.error.message}`,
        )
        return
      }
      this.onPacket(decoded.value)
    })
    socket.on('unexpected-response', (_request, response) => {
      logger.error(
        { status: response.statusCode },
        'the router refused the backend socket (is the token right?)',
      )
      // With this listener attached, ws leaves the handshake to us: without
      // ending it the socket stays connecting forever and never retries (a
      // router restarting behind a proxy answers 502/503 for a while).
      // terminate() ends it with 'close', which arms the usual backoff.
      socket.terminate()
    })
    socket.on('error', (error) => {
      logger.debug({ err: error }, 'router socket error')
    })
    socket.on('close', (code) => {
      if (this.#socket === socket) {
        this.#socket = null
        this.#tcp = null
      }
      if (this.#stopped) return
      if (code === CloseCode.BACKEND_REPLACED) {
        logger.error(
          { url },
          'another backend took over this router: two backends are running against it',
        )
      }
      this.#attempt += 1
      const delay = (this.#options.reconnectDelayMs ?? defaultReconnectDelayMs)(this.#attempt)
      if (this.#attempt === 1) logger.warn({ url }, 'lost the router; reconnecting')
      this.#retryTimer = this.#options.clock.setTimeout(() => {
        this.#retryTimer = null
        this.#connect()
      }, delay)
    })
  }
}
