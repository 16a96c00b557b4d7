import { describe, expect, it } from 'vitest'
import { FakeClock } from '@faust/testing'
import { ClientError } from './client-error.js'
import { defaultRetryDelayMs, sleep, withRetry } from './retry.js'

describe('retries', () => {
  it('backs off exponentially from 1 s, capped at 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(defaultRetryDelayMs)).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000,
    ])
  })

  it('does not retry errors that are not retryable', async () => {
    let calls = 0
    const clock = new FakeClock()
    const result = withRetry(
      () => {
        calls++
        return Promise.reject(new ClientError('PACKET_INVALID', 'bad', { status: 400 }))
      },
      { clock, retryDelayMs: () => 1, maxAttempts: 5, signal: new AbortController().signal },
    )
    await expect(result).rejects.toMatchObject({ code: 'PACKET_INVALID' })
    expect(calls).toBe(1)
  })

  it('stops waiting when aborted', async () => {
    const clock = new FakeClock()
    const controller = new AbortController()
    const waiting = sleep(clock, 10_000, controller.signal)
    controller.abort()
    await expect(waiting).rejects.toMatchObject({ code: 'ABORTED' })
    expect(clock.pendingTimers).toBe(0)
    await expect(sleep(clock, 1, controller.signal)).rejects.toMatchObject({ code: 'ABORTED' })
  })
})
