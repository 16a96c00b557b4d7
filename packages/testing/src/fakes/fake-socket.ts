import type { SocketConstructor, SocketLike } from '@faust/client'

/** A packet as the fake socket recorded or delivers it. */
export type Packet = Record<string, unknown>

/**
 * An in-memory WebSocket: the test opens it, feeds it packets and closes it
 * from the server side, and reads what the client sent. Every socket made is
 * also kept in {@link FakeSocket.all}, for tests that pass the class itself
 * as the WebSocket constructor (empty it between tests).
 */
export class FakeSocket implements SocketLike {
  /** Every socket made, in creation order. */
  static readonly all: FakeSocket[] = []
  readyState = 0
  readonly url: string
  readonly sent: Packet[] = []
  /** Set when the client closed the socket. */
  closedByClient = false
  onopen: SocketLike['onopen'] = null
  onmessage: SocketLike['onmessage'] = null
  onclose: SocketLike['onclose'] = null
  onerror: SocketLike['onerror'] = null

  constructor(url: string) {
    this.url = url
    FakeSocket.all.push(this)
  }

  /** The socket made last. */
  static last(): FakeSocket {
    const socket = FakeSocket.all.at(-1)
    if (socket === undefined) throw new Error('no socket was opened')
    return socket
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('the socket is not open')
    this.sent.push(JSON.parse(data) as Packet)
  }

  close(): void {
    this.closedByClient = true
    this.#closed(1000)
  }

  /** The server accepts the connection. */
  open(): void {
    this.readyState = 1
    this.onopen?.({})
  }

  /** The server sends `packet`. */
  receive(packet: Packet): void {
    this.onmessage?.({ data: JSON.stringify(packet) })
  }

  /** The server (or the network) closes the socket with `code`. */
  drop(code = 1006): void {
    this.onerror?.({})
    this.#closed(code)
  }

  /** Sent packets of one type. */
  sentOfType(type: string): Packet[] {
    return this.sent.filter((packet) => packet['packet_type'] === type)
  }

  #closed(code: number): void {
    if (this.readyState === 3) return
    this.readyState = 3
    this.onclose?.({ code })
  }
}

/** A WebSocket constructor whose sockets the test can reach, in creation order. */
export function fakeSockets(): {
  WebSocket: SocketConstructor
  sockets: FakeSocket[]
  last(): FakeSocket
} {
  const sockets: FakeSocket[] = []
  const WebSocket = class extends FakeSocket {
    constructor(url: string) {
      super(url)
      sockets.push(this)
    }
  }
  return {
    WebSocket,
    sockets,
    last() {
      const socket = sockets.at(-1)
      if (socket === undefined) throw new Error('no socket was opened')
      return socket
    },
  }
}
