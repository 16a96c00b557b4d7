import { ErrorCode, type AgentDetailsPacket, type Clock, type TimerHandle } from '@faust/protocol'
import { RouterError } from './router-error.js'

/**
 * What settles a held request:
 * - `details`: the backend's `agent_details` (`/request_agent`, `/submit_onboarding`);
 * - `stored`: the backend's `faust_stored` (`/submit_task`, `/submit_metadata` with the
 *   `stored_acks` extension);
 * - `details-after-stored`: `/submit_onboarding` with the extension: `agent_details` settles
 *   it; a `faust_stored` refusal fails it, a `faust_stored` success changes nothing (the backend
 *   sends `agent_details` only after storing, so that is the confirmation).
 */
export type HeldKind = 'details' | 'stored' | 'details-after-stored'

/** A held submission's confirmation: the backend stored it. */
export const STORED = 'stored'

/** What a held request resolves with. */
export type HeldOutcome = AgentDetailsPacket | typeof STORED | RouterError

interface Pending {
  readonly kind: HeldKind
  readonly resolve: (outcome: HeldOutcome) => void
  readonly timer: TimerHandle
}

/**
 * HTTP requests held open until the backend answers them by request id:
 * registrations until `agent_details`, submissions (extension `stored_acks`)
 * until `faust_stored`. Every one settles: with the answer, with a timeout
 * error, or with a failure (backend gone, shutdown). Never hangs.
 */
export class PendingRequests {
  readonly #pending = new Map<string, Pending>()
  readonly #clock: Clock
  readonly #timeoutMs: number
  readonly #max: number

  constructor(options: { clock: Clock; timeoutMs: number; max: number }) {
    this.#clock = options.clock
    this.#timeoutMs = options.timeoutMs
    this.#max = options.max
  }

  get size(): number {
    return this.#pending.size
  }

  /** Whether a request is held under `requestId`. */
  isHeld(requestId: string): boolean {
    return this.#pending.has(requestId)
  }

  /** Whether another request may be held. */
  hasRoom(): boolean {
    return this.#pending.size < this.#max
  }

  /** Holds `requestId` until {@link settle}, {@link confirm}, a failure or the timeout. */
  hold(requestId: string, kind: HeldKind = 'details'): Promise<HeldOutcome> {
    return new Promise((resolve) => {
      const timer = this.#clock.setTimeout(() => {
        this.#pending.delete(requestId)
        resolve(
          new RouterError(
            ErrorCode.TIMEOUT,
            `the backend did not answer within ${String(this.#timeoutMs)} ms; please try again`,
          ),
        )
      }, this.#timeoutMs)
      this.#pending.set(requestId, { kind, resolve, timer })
    })
  }

  /** Answers a held registration; returns false if none is held under that id. */
  settle(requestId: string, packet: AgentDetailsPacket): boolean {
    const pending = this.#pending.get(requestId)
    if (pending === undefined || pending.kind === 'stored') return false
    this.#resolve(requestId, pending, packet)
    return true
  }

  /**
   * Applies the backend's `faust_stored` (true, or the refusal as an error) to
   * a held request; returns false if no request that takes one is held under that id.
   */
  confirm(requestId: string, outcome: true | RouterError): boolean {
    const pending = this.#pending.get(requestId)
    if (pending === undefined || pending.kind === 'details') return false
    if (pending.kind === 'stored')
      this.#resolve(requestId, pending, outcome === true ? STORED : outcome)
    else if (outcome !== true) this.#resolve(requestId, pending, outcome)
    return true
  }

  /** Fails one held request, e.g. when its packet could not be sent; false if none is held. */
  fail(requestId: string, error: RouterError): boolean {
    const pending = this.#pending.get(requestId)
    if (pending === undefined) return false
    this.#resolve(requestId, pending, error)
    return true
  }

  /** Fails every held request, e.g. on shutdown. */
  failAll(error: RouterError): void {
    for (const pending of this.#pending.values()) {
      this.#clock.clearTimeout(pending.timer)
      pending.resolve(error)
    }
    this.#pending.clear()
  }

  #resolve(requestId: string, pending: Pending, outcome: HeldOutcome): void {
    this.#pending.delete(requestId)
    this.#clock.clearTimeout(pending.timer)
    pending.resolve(outcome)
  }
}
