import { WebSocket } from 'ws'
import { within } from './deferred.js'

/** A received packet, loosely typed: tests assert on exact shapes. */
export type AnyPacket = Record<string, unknown> & {
  packet_type: string
  subject_id: string | null
  data?: unknown
}

/** How a socket ended. */
export interface CloseInfo {
  readonly code: number
  readonly reason: string
}

interface Waiter {
  readonly match: (packet: AnyPacket) => boolean
  readonly resolve: (packet: AnyPacket) => void
}

/** Longest real-time wait for a packet before a test fails. */
const WAIT_MS = 3000

/**
 * A WebSocket client for tests: records every packet and lets a test await
 * the next one of a type. Frames are consumed in arrival order.
 */
export class TestSocket implements AsyncDisposable {
  readonly socket: WebSocket
  /** Every packet received so far, in order. */
  readonly received: AnyPacket[] = []
  readonly #unread: AnyPacket[] = []
  readonly #waiters: Waiter[] = []
  readonly closed: Promise<CloseInfo>

  protected constructor(socket: WebSocket) {
    this.socket = socket
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() })
      })
    })
    socket.on('message', (data: Buffer) => {
      const packet = JSON.parse(data.toString()) as AnyPacket
      this.received.push(packet)
      const index = this.#waiters.findIndex((waiter) => waiter.match(packet))
      if (index === -1) {
        this.#unread.push(packet)
        return
      }
      const [waiter] = this.#waiters.splice(index, 1)
      waiter?.resolve(packet)
    })
  }

  /** Opens a socket and waits until it is open (or rejects on a refused upgrade). */
  protected static async open(
    url: string,
    headers: Record<string, string> = {},
  ): Promise<WebSocket> {
    const socket = new WebSocket(url, { headers, perMessageDeflate: false })
    await within(
      new Promise<void>((resolve, reject) => {
        socket.once('open', () => {
          resolve()
        })
        socket.once('error', reject)
        socket.once('unexpected-response', (_request, response) => {
          reject(new Error(`upgrade refused with HTTP ${String(response.statusCode)}`))
        })
      }),
      WAIT_MS,
      `socket open at ${url}`,
    )
    return socket
  }

  send(packet: Record<string, unknown>): void {
    this.socket.send(JSON.stringify(packet))
  }

  sendRaw(text: string | Buffer): void {
    this.socket.send(text)
  }

  /** The next unread packet of `type` (any type if omitted), waiting for it if needed. */
  next(type?: string, match: (packet: AnyPacket) => boolean = () => true): Promise<AnyPacket> {
    const predicate = (packet: AnyPacket): boolean =>
      (type === undefined || packet.packet_type === type) && match(packet)
    const index = this.#unread.findIndex(predicate)
    if (index !== -1) {
      const [packet] = this.#unread.splice(index, 1)
      return Promise.resolve(packet as AnyPacket)
    }
    return within(
      new Promise<AnyPacket>((resolve) => this.#waiters.push({ match: predicate, resolve })),
      WAIT_MS,
      `a '${type ?? 'any'}' packet`,
    )
  }

  /** Unread packets, removed from the unread list. */
  takeUnread(type?: string): AnyPacket[] {
    const taken: AnyPacket[] = []
    for (let index = 0; index < this.#unread.length;) {
      const packet = this.#unread[index] as AnyPacket
      if (type === undefined || packet.packet_type === type) {
        taken.push(packet)
        this.#unread.splice(index, 1)
      } else index += 1
    }
    return taken
  }

  /** Waits for the close, failing the test if it does not come. */
  waitClosed(): Promise<CloseInfo> {
    return within(this.closed, WAIT_MS, 'the socket to close')
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return
    this.socket.close()
    await this.waitClosed()
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close()
  }
}
