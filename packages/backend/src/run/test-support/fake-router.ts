// A router as far as a TaskRun sees one, for the run's tests: a plain `ws`
// server on 127.0.0.1 (the channel is a socket client, so a socket is its
// real collaborator).
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'

export interface Packet {
  readonly packet_type: string
  readonly subject_id: string
  readonly data: Record<string, unknown>
}

/** A router as far as the backend sees one: one socket, the packets it sent, a way to send. */
export class FakeRouter {
  readonly packets: Packet[] = []
  readonly #server: WebSocketServer
  #socket: WebSocket | undefined
  #waiters: { match: (packet: Packet) => boolean; resolve: (packet: Packet) => void }[] = []

  private constructor(server: WebSocketServer) {
    this.#server = server
    server.on('connection', (socket) => {
      this.#socket = socket
      socket.on('message', (raw: Buffer) => {
        this.#receive(JSON.parse(raw.toString()) as Packet)
      })
    })
  }

  static async start(): Promise<FakeRouter> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    await new Promise((resolve) => server.once('listening', resolve))
    return new FakeRouter(server)
  }

  get url(): string {
    return `ws://127.0.0.1:${String((this.#server.address() as AddressInfo).port)}/`
  }

  send(type: string, data: Record<string, unknown>, subjectId = 'mephisto'): void {
    this.#socket?.send(JSON.stringify({ packet_type: type, subject_id: subjectId, data }))
  }

  next(type: string): Promise<Packet> {
    return this.nextWhere((packet) => packet.packet_type === type)
  }

  /** The first packet (already received or still to come) that `match` accepts, taken out of `packets`. */
  nextWhere(match: (packet: Packet) => boolean): Promise<Packet> {
    const seen = this.packets.find(match)
    if (seen !== undefined) {
      this.packets.splice(this.packets.indexOf(seen), 1)
      return Promise.resolve(seen)
    }
    return new Promise((resolve) => {
      this.#waiters.push({ match, resolve })
    })
  }

  /** The next `update_status` that sets `subjectId` to `status`. */
  status(subjectId: string, status: string): Promise<Packet> {
    return this.nextWhere(
      (packet) =>
        packet.packet_type === 'update_status' &&
        packet.subject_id === subjectId &&
        packet.data['status'] === status,
    )
  }

  async close(): Promise<void> {
    for (const client of this.#server.clients) client.terminate()
    await new Promise((resolve) => this.#server.close(resolve))
  }

  #receive(packet: Packet): void {
    const waiter = this.#waiters.find((candidate) => candidate.match(packet))
    if (waiter === undefined) {
      this.packets.push(packet)
      return
    }
    this.#waiters.splice(this.#waiters.indexOf(waiter), 1)
    waiter.resolve(packet)
  }
}
