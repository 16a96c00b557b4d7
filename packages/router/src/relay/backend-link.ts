import type { Connection } from './connection.js'

/**
 * A held submission's packet (extension `stored_acks`), encoded twice: with
 * its `faust_ack` key for a backend that announced the extension, and
 * without it for one that did not. Which one leaves is decided when it
 * leaves, by the backend that is attached then.
 */
export interface HeldPacket {
  readonly requestId: string
  readonly plain: string
  readonly acked: string
}

/** What happened to a held packet handed to {@link BackendLink.sendHeld}. */
export type HeldSendResult = 'sent' | 'kept' | 'refused'

/**
 * The one attached backend socket, and the backend-bound packets that arrive
 * while it is away: kept in order, as encoded text (so nothing can fail when
 * they are delivered), up to a bound, and delivered on reattach.
 */
export class BackendLink {
  #connection: Connection | null = null
  readonly #backlog: (string | HeldPacket)[] = []
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

  /**
   * Makes `connection` the backend and flushes the backlog to it, in order;
   * `chooseHeld` picks the text of each held packet for this backend (by
   * default the plain one) and is told it left.
   */
  attach(
    connection: Connection,
    chooseHeld: (packet: HeldPacket) => string = (packet) => packet.plain,
  ): Connection | null {
    const previous = this.#connection
    this.#connection = connection
    const waiting = this.#backlog.splice(0)
    for (const entry of waiting) this.send(typeof entry === 'string' ? entry : chooseHeld(entry))
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

  /**
   * Sends a held packet's `acked` text now (a backend that is attached is the
   * one that decided it is held), or keeps the packet for the next backend.
   */
  sendHeld(packet: HeldPacket): HeldSendResult {
    const connection = this.#connection
    if (connection?.isOpen === true) {
      connection.send(packet.acked)
      return 'sent'
    }
    if (this.#backlog.length >= this.#maxBacklog) return 'refused'
    this.#backlog.push(packet)
    return 'kept'
  }

  /** Whether a packet sent now would be accepted (sent or kept). */
  hasRoom(): boolean {
    return this.isAttached || this.#backlog.length < this.#maxBacklog
  }
}
