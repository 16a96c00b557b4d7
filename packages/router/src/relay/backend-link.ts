import type { Connection } from './connection.js'

/**
 * The one attached backend socket, and the backend-bound packets that arrive
 * while it is away: kept in order, up to a bound, and delivered on reattach.
 */
export class BackendLink {
  #connection: Connection | null = null
  readonly #backlog: Record<string, unknown>[] = []
  readonly #maxBacklog: number
  readonly #encode: (packet: Record<string, unknown>) => string

  constructor(options: {
    maxBacklog: number
    encode: (packet: Record<string, unknown>) => string
  }) {
    this.#maxBacklog = options.maxBacklog
    this.#encode = options.encode
  }

  get connection(): Connection | null {
    return this.#connection
  }

  get isAttached(): boolean {
    return this.#connection?.isOpen === true
  }

  get backlogSize(): number {
    return this.#backlog.length
  }

  /** Makes `connection` the backend and flushes the backlog to it, in order. */
  attach(connection: Connection): Connection | null {
    const previous = this.#connection
    this.#connection = connection
    const waiting = this.#backlog.splice(0)
    for (const packet of waiting) this.send(packet)
    return previous === connection ? null : previous
  }

  /** Detaches `connection` if it is the attached one. */
  detach(connection: Connection): boolean {
    if (this.#connection !== connection) return false
    this.#connection = null
    return true
  }

  /**
   * Sends now, or keeps the packet for later. Returns false only when the
   * backend is away and the backlog is full: the caller must refuse the work.
   */
  send(packet: Record<string, unknown>): boolean {
    const connection = this.#connection
    if (connection?.isOpen === true) {
      connection.send(this.#encode(packet))
      return true
    }
    if (this.#backlog.length >= this.#maxBacklog) return false
    this.#backlog.push(packet)
    return true
  }

  /** Whether a packet sent now would be accepted (sent or kept). */
  hasRoom(): boolean {
    return this.isAttached || this.#backlog.length < this.#maxBacklog
  }
}
