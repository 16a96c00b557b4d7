import type { Connection } from './connection.js'

/**
 * The one attached backend socket, and the backend-bound packets that arrive
 * while it is away: kept in order, as encoded text (so nothing can fail when
 * they are delivered), up to a bound, and delivered on reattach.
 */
export class BackendLink {
  #connection: Connection | null = null
  readonly #backlog: string[] = []
  readonly #maxBacklog: number

  constructor(options: { maxBacklog: number }) {
    this.#maxBacklog = options.maxBacklog
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
    for (const text of waiting) this.send(text)
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
  send(text: string): boolean {
    const connection = this.#connection
    if (connection?.isOpen === true) {
      connection.send(text)
      return true
    }
    if (this.#backlog.length >= this.#maxBacklog) return false
    this.#backlog.push(text)
    return true
  }

  /** Whether a packet sent now would be accepted (sent or kept). */
  hasRoom(): boolean {
    return this.isAttached || this.#backlog.length < this.#maxBacklog
  }
}
