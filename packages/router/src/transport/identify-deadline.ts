import { CloseCode, type Clock, type TimerHandle } from '@faust/protocol'
import type { Connection } from '../relay/connection.js'

/** Options of {@link IdentifyDeadline}. */
export interface IdentifyDeadlineOptions {
  readonly clock: Clock
  readonly timeoutMs: number
}

/** One socket's deadline: checked after each frame, cancelled when the socket closes. */
export interface IdentifyWatch {
  /** Call after each frame: stops the deadline once the socket has identified itself. */
  check(): void
  cancel(): void
}

/**
 * Closes sockets that have not said who they are (an agent's `alive` or
 * `heartbeat` binding it, or the backend's `alive`) within `timeoutMs`, with
 * 4408. Without it a socket that never sends a byte holds its memory and a
 * file descriptor until the peer goes away, which a hostile peer never does.
 * One timer per unidentified socket; none once it has identified itself.
 */
export class IdentifyDeadline {
  readonly #clock: Clock
  readonly #timeoutMs: number

  constructor(options: IdentifyDeadlineOptions) {
    this.#clock = options.clock
    this.#timeoutMs = options.timeoutMs
  }

  /** Starts the deadline of `connection`; `isIdentified` is asked after each frame and at the deadline. */
  watch(connection: Connection, isIdentified: () => boolean): IdentifyWatch {
    const clock = this.#clock
    let timer: TimerHandle | null = clock.setTimeout(() => {
      timer = null
      if (isIdentified() || !connection.isOpen) return
      connection.close(
        CloseCode.IDENTIFY_TIMEOUT,
        `no alive within ${String(this.#timeoutMs)} ms of connecting`,
      )
    }, this.#timeoutMs)
    const cancel = (): void => {
      if (timer === null) return
      clock.clearTimeout(timer)
      timer = null
    }
    return {
      check: () => {
        if (timer !== null && isIdentified()) cancel()
      },
      cancel,
    }
  }
}
