import { ErrorCode } from '@faust/protocol'
import type { BackendLink, HeldPacket } from './backend-link.js'
import type { HeldOutcome, PendingRequests } from './pending-requests.js'
import { RouterError } from './router-error.js'

/**
 * A submission whose reply is held (extension `stored_acks`): `stored`
 * resolves once the backend confirmed it is stored, and rejects with the
 * {@link RouterError} to answer otherwise (refused, backend gone, timeout).
 */
export interface HeldSubmission {
  readonly requestId: string
  readonly stored: Promise<void>
}

/**
 * Held replies whose packet carries `faust_ack` (docs/protocol.md §14): which
 * of them went to the attached backend socket (those are failed with
 * BACKEND_UNAVAILABLE if it leaves; those still in the backlog wait for the
 * next backend), and what leaves when a backend attaches.
 */
export class HeldSubmissions {
  readonly #pending: PendingRequests
  readonly #backend: BackendLink
  readonly #inFlight = new Set<string>()

  constructor(options: { pending: PendingRequests; backend: BackendLink }) {
    this.#pending = options.pending
    this.#backend = options.backend
  }

  /** Holds a submission's reply until `faust_stored`, and sends its packet or keeps it. */
  send(packet: HeldPacket): HeldSubmission {
    const { requestId } = packet
    const reply = this.#pending.hold(requestId, 'stored')
    const sent = this.#backend.sendHeld(packet)
    if (sent === 'sent') this.#inFlight.add(requestId)
    if (sent === 'refused') {
      // The caller checked for room first; still, a reply must never wait for nothing.
      this.#pending.fail(
        requestId,
        new RouterError(
          ErrorCode.BACKLOG_FULL,
          'the backend is away and too much is waiting for it',
        ),
      )
    }
    return { requestId, stored: this.#stored(requestId, reply) }
  }

  /** A held request whose `faust_ack` packet went to the attached backend (an onboarding). */
  sent(requestId: string, reply: Promise<HeldOutcome>): Promise<HeldOutcome> {
    this.#inFlight.add(requestId)
    return this.#released(requestId, reply)
  }

  /**
   * A held packet kept while no backend was attached leaves now: with its
   * `faust_ack` to a backend that announced `stored_acks` (its reply waits for
   * `faust_stored`), else as the reference packet, answered as stored at once
   * (that backend confirms nothing, as Mephisto's never does).
   */
  deliver(packet: HeldPacket, acks: boolean): string {
    if (!acks) {
      this.#pending.confirm(packet.requestId, true)
      return packet.plain
    }
    if (this.#pending.isHeld(packet.requestId)) this.#inFlight.add(packet.requestId)
    return packet.acked
  }

  /** The backend socket they went to is gone: their replies are told so. */
  failInFlight(): void {
    if (this.#inFlight.size === 0) return
    const error = new RouterError(
      ErrorCode.BACKEND_UNAVAILABLE,
      'the backend went away before confirming the submission was stored; please try again',
    )
    for (const requestId of this.#inFlight) this.#pending.fail(requestId, error)
    this.#inFlight.clear()
  }

  async #stored(requestId: string, reply: Promise<HeldOutcome>): Promise<void> {
    const outcome = await this.#released(requestId, reply)
    if (outcome instanceof RouterError) throw outcome
  }

  async #released(requestId: string, reply: Promise<HeldOutcome>): Promise<HeldOutcome> {
    const outcome = await reply
    this.#inFlight.delete(requestId)
    return outcome
  }
}
