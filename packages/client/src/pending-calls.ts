import type { Clock, TimerHandle } from '@faust/protocol/constants'
import { ClientError } from './client-error.js'

interface Pending {
  readonly resolve: (value: unknown) => void
  readonly reject: (error: ClientError) => void
  readonly timer: TimerHandle
}

/**
 * Remote procedure calls waiting for their answer, each with a timeout
 * (the reference waits forever, docs/protocol.md W20).
 */
export class PendingCalls {
  readonly #clock: Clock
  readonly #calls = new Map<string, Pending>()

  constructor(clock: Clock) {
    this.#clock = clock
  }

  /** Waits for the answer to `requestId`, failing with `TIMEOUT` after `timeoutMs`. */
  add(requestId: string, timeoutMs: number, settle: Pick<Pending, 'resolve' | 'reject'>): void {
    const timer = this.#clock.setTimeout(() => {
      this.fail(
        requestId,
        new ClientError('TIMEOUT', `no answer to the remote procedure within ${timeoutMs} ms`),
      )
    }, timeoutMs)
    this.#calls.set(requestId, { ...settle, timer })
  }

  /**
   * Settles the call a live update answers (`handles`): `response` is parsed
   * JSON; Faust's `error: { message, code? }` rejects with `REMOTE`.
   */
  answer(update: Readonly<Record<string, unknown>>): void {
    const requestId = update['handles']
    if (typeof requestId !== 'string') return
    const call = this.#take(requestId)
    if (call === undefined) return
    const error = update['error'] as { message?: unknown; code?: unknown } | undefined
    if (typeof error === 'object' && error !== null) {
      const remoteCode = typeof error.code === 'string' ? { remoteCode: error.code } : {}
      call.reject(new ClientError('REMOTE', String(error.message), remoteCode))
      return
    }
    try {
      call.resolve(JSON.parse(String(update['response'])))
    } catch (cause) {
      call.reject(new ClientError('BAD_RESPONSE', 'the answer is not valid JSON', { cause }))
    }
  }

  /** Fails one call. */
  fail(requestId: string, error: ClientError): void {
    this.#take(requestId)?.reject(error)
  }

  /** Fails every waiting call. */
  failAll(error: ClientError): void {
    for (const requestId of [...this.#calls.keys()]) this.fail(requestId, error)
  }

  /** Calls waiting for an answer. */
  get size(): number {
    return this.#calls.size
  }

  #take(requestId: string): Pending | undefined {
    const call = this.#calls.get(requestId)
    if (call === undefined) return undefined
    this.#calls.delete(requestId)
    this.#clock.clearTimeout(call.timer)
    return call
  }
}
