import type { Clock } from '@faust/protocol/constants'
import { ClientError } from './client-error.js'

/** Exponential backoff: 1 s, 2 s, 4 s, … capped at 30 s; `attempt` counts failures from 1. */
export function defaultRetryDelayMs(attempt: number): number {
  return Math.min(1000 * 2 ** (attempt - 1), 30_000)
}

/** How {@link withRetry} retries. */
export interface RetryPolicy {
  readonly clock: Clock
  readonly retryDelayMs: (attempt: number) => number
  /** Tries in all, the first included. */
  readonly maxAttempts: number
  readonly signal: AbortSignal
}

/**
 * Runs `operation` until it succeeds, retrying retryable {@link ClientError}s
 * after the policy's delay, up to `maxAttempts` tries; the last error is thrown.
 */
export async function withRetry<TValue>(
  operation: () => Promise<TValue>,
  policy: RetryPolicy,
): Promise<TValue> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation()
    } catch (error) {
      const retryable = error instanceof ClientError && error.retryable
      if (!retryable || attempt >= policy.maxAttempts || policy.signal.aborted) throw error
      await sleep(policy.clock, policy.retryDelayMs(attempt), policy.signal)
    }
  }
}

/** Resolves after `ms` on `clock`, or rejects with `ABORTED` when `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new ClientError('ABORTED', 'stopped'))
      return
    }
    const onAbort = (): void => {
      clock.clearTimeout(timer)
      reject(new ClientError('ABORTED', 'stopped'))
    }
    const timer = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/** How a submission's retries are spaced: {@link submissionDelayMs}. */
export interface SubmissionBackoff {
  readonly retryDelayMs: (attempt: number) => number
  /** No wait exceeds this, unless the server asked for longer. */
  readonly maxRetryDelayMs: number
  /** A number in [0, 1): the jitter. */
  readonly random: () => number
}

/**
 * The wait before retry number `attempt` of a submission: the backoff, capped,
 * with "equal jitter" (half fixed, half random) so that the pages of a crowd
 * that lost the router together do not all come back in the same instant; but
 * never less than the server's `Retry-After`.
 */
export function submissionDelayMs(
  attempt: number,
  retryAfterMs: number | null,
  backoff: SubmissionBackoff,
): number {
  const capped = Math.min(backoff.retryDelayMs(attempt), backoff.maxRetryDelayMs)
  return Math.max(capped / 2 + (capped / 2) * backoff.random(), retryAfterMs ?? 0)
}
