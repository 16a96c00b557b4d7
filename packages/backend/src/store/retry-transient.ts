import type { Clock } from '@faust/protocol'
import type { BackendLogger } from '../util/logger.js'
import { describeStoreFailure, isTransientStoreFailure } from './store-failure.js'

/** How long {@link retryTransient} keeps trying by default. */
export const TRANSIENT_RETRY_LIMIT_MS = 60_000

/**
 * Runs `write` until it succeeds, retrying a transient store failure (a full
 * disk, a busy lock; see {@link isTransientStoreFailure}) with backoff from
 * 100 ms doubling to 5 s, for at most `limitMs`. For writes nobody can be
 * asked to repeat (a live update a pair's exchange goes on from): failing at
 * once ended the assignment on a disk that had room again three seconds
 * later. Anything else, or the last failure past the limit, is thrown.
 */
export async function retryTransient<TResult>(
  write: () => Promise<TResult>,
  options: {
    readonly clock: Clock
    readonly logger: BackendLogger
    readonly what: string
    readonly limitMs?: number
  },
): Promise<TResult> {
  const limitMs = options.limitMs ?? TRANSIENT_RETRY_LIMIT_MS
  const started = options.clock.now()
  for (let delayMs = 100; ; delayMs = Math.min(delayMs * 2, 5000)) {
    try {
      return await write()
    } catch (error) {
      if (!isTransientStoreFailure(error) || options.clock.now() - started >= limitMs) throw error
      options.logger.warn(
        { failure: describeStoreFailure(error), retryInMs: delayMs },
        `${options.what} could not be stored; retrying`,
      )
      await new Promise<void>((resolve) => options.clock.setTimeout(resolve, delayMs))
    }
  }
}
