import type { IncomingMessage } from 'node:http'
import type { FastifyReply } from 'fastify'
import { ErrorCode, type Clock } from '@faust/protocol'
import { RouterError } from '../relay/router-error.js'

/** Seconds a refused upload is told to wait (`Retry-After`). */
export const UPLOAD_RETRY_AFTER_SECONDS = 5

/** Options of {@link UploadGuard}. */
export interface UploadGuardOptions {
  readonly maxConcurrent: number
  readonly idleTimeoutMs: number
  readonly totalTimeoutMs: number
  readonly clock: Clock
}

/**
 * Bounds what multipart uploads, which anyone may send before any check of
 * who they are, can hold: at most `maxConcurrent` at once (one more is a 503
 * TOO_MANY_UPLOADS with Retry-After), and each is ended with a 408
 * UPLOAD_TIMEOUT when its connection brings no byte for `idleTimeoutMs` or it
 * runs past `totalTimeoutMs`. Without this a client that stopped mid-body kept
 * its partial file on disk, and its slot, until it chose to close.
 *
 * Progress is the connection's `bytesRead`, sampled on the injected clock:
 * watching the body's own stream would compete with the multipart parser
 * for it. The sampling makes the idle timeout precise to a tenth of itself.
 */
export class UploadGuard {
  readonly #options: UploadGuardOptions
  #active = 0

  constructor(options: UploadGuardOptions) {
    this.#options = options
  }

  /** Uploads being received now. */
  get active(): number {
    return this.#active
  }

  /**
   * Runs `receive` as one upload. On a timeout its signal aborts; `receive`
   * must then stop and remove what it wrote, and the timeout is thrown.
   * A timed-out answer closes the connection: the rest of the body is never
   * read. A refused one keeps it, so that the client, still sending its body,
   * reliably reads the 503 (Node discards the unread body).
   */
  async run<T>(
    request: IncomingMessage,
    reply: FastifyReply,
    receive: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    if (this.#active >= this.#options.maxConcurrent) {
      void reply.header('retry-after', String(UPLOAD_RETRY_AFTER_SECONDS))
      throw new RouterError(
        ErrorCode.TOO_MANY_UPLOADS,
        `${String(this.#options.maxConcurrent)} uploads are already being received; retry shortly`,
      )
    }
    this.#active += 1
    const controller = new AbortController()
    const stopWatching = this.#watch(request, controller)
    try {
      return await receive(controller.signal)
    } catch (error) {
      if (!controller.signal.aborted) throw error
      void reply.header('connection', 'close')
      throw controller.signal.reason
    } finally {
      stopWatching()
      this.#active -= 1
    }
  }

  /** Aborts `controller` on a stall or an overrun; returns what stops watching. */
  #watch(request: IncomingMessage, controller: AbortController): () => void {
    const { clock, idleTimeoutMs, totalTimeoutMs } = this.#options
    const bytesRead = (): number => request.socket.bytesRead
    let lastBytes = bytesRead()
    let lastProgressAt = clock.now()
    const abort = (message: string): void => {
      controller.abort(new RouterError(ErrorCode.UPLOAD_TIMEOUT, message))
    }
    const idle = clock.setInterval(
      () => {
        const now = clock.now()
        if (bytesRead() !== lastBytes) {
          lastBytes = bytesRead()
          lastProgressAt = now
        } else if (now - lastProgressAt >= idleTimeoutMs) {
          abort(`the upload sent nothing for ${String(idleTimeoutMs)} ms`)
        }
      },
      Math.max(1, Math.floor(idleTimeoutMs / 10)),
    )
    const total = clock.setTimeout(() => {
      abort(`the upload took longer than ${String(totalTimeoutMs)} ms`)
    }, totalTimeoutMs)
    return () => {
      clock.clearInterval(idle)
      clock.clearTimeout(total)
    }
  }
}
