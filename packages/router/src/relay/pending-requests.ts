import { ErrorCode, type AgentDetailsPacket, type Clock, type TimerHandle } from '@faust/protocol'
import { RouterError } from './router-error.js'

interface Pending {
  readonly resolve: (outcome: AgentDetailsPacket | RouterError) => void
  readonly timer: TimerHandle
}

/**
 * HTTP requests (`/request_agent`, `/submit_onboarding`) held open until the
 * backend's `agent_details` names their request id. Every one settles: with
 * the packet, with a timeout error, or with a shutdown error. Never hangs.
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

  /** Whether another request may be held. */
  hasRoom(): boolean {
    return this.#pending.size < this.#max
  }

  /** Holds `requestId` until {@link settle} or the timeout. */
  hold(requestId: string): Promise<AgentDetailsPacket | RouterError> {
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
      this.#pending.set(requestId, { resolve, timer })
    })
  }

  /** Answers a held request; returns false if none is held under that id. */
  settle(requestId: string, packet: AgentDetailsPacket): boolean {
    const pending = this.#pending.get(requestId)
    if (pending === undefined) return false
    this.#pending.delete(requestId)
    this.#clock.clearTimeout(pending.timer)
    pending.resolve(packet)
    return true
  }

  /** Fails one held request, e.g. when its packet could not be sent; false if none is held. */
  fail(requestId: string, error: RouterError): boolean {
    const pending = this.#pending.get(requestId)
    if (pending === undefined) return false
    this.#pending.delete(requestId)
    this.#clock.clearTimeout(pending.timer)
    pending.resolve(error)
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
}
