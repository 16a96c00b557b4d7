import { describe, expect, it } from 'vitest'
import { silentLogger } from '@faust/protocol'
import { FakeClock } from '@faust/testing'
import { retryTransient } from './retry-transient.js'

/** An error shaped as better-sqlite3 throws it. */
function sqliteError(code: string): Error {
  return Object.assign(new Error(code.toLowerCase()), { code })
}

/** Advances the fake clock until `promise` settles (each retry waits on a timer). */
async function settle<T>(clock: FakeClock, promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  const outcome = Promise.allSettled([promise]).then(([result]) => result)
  let settled: PromiseSettledResult<T> | undefined
  void outcome.then((result) => (settled = result))
  for (let step = 0; step < 1000 && settled === undefined; step += 1) {
    await new Promise((resolve) => setImmediate(resolve))
    clock.advance(100)
  }
  return outcome
}

describe('retryTransient', () => {
  it('retries a full disk and a busy lock until the write goes through', async () => {
    const clock = new FakeClock()
    const failures = [
      sqliteError('SQLITE_FULL'),
      sqliteError('SQLITE_BUSY'),
      sqliteError('SQLITE_IOERR_WRITE'),
    ]
    let calls = 0
    const write = (): Promise<string> => {
      calls += 1
      const failure = failures.shift()
      return failure === undefined ? Promise.resolve('stored') : Promise.reject(failure)
    }
    const result = await settle(
      clock,
      retryTransient(write, { clock, logger: silentLogger, what: 'x' }),
    )
    expect(result).toEqual({ status: 'fulfilled', value: 'stored' })
    expect(calls).toBe(4)
  })

  it('throws anything else at once: a constraint is no passing trouble', async () => {
    const clock = new FakeClock()
    let calls = 0
    const write = (): Promise<void> => {
      calls += 1
      return Promise.reject(sqliteError('SQLITE_CONSTRAINT_UNIQUE'))
    }
    const result = await settle(
      clock,
      retryTransient(write, { clock, logger: silentLogger, what: 'x' }),
    )
    expect(result).toMatchObject({
      status: 'rejected',
      reason: { code: 'SQLITE_CONSTRAINT_UNIQUE' },
    })
    expect(calls).toBe(1)
  })

  it('gives up with the last failure once the limit has passed', async () => {
    const clock = new FakeClock()
    const write = (): Promise<void> => Promise.reject(sqliteError('SQLITE_FULL'))
    const started = clock.now()
    const result = await settle(
      clock,
      retryTransient(write, { clock, logger: silentLogger, what: 'x', limitMs: 2000 }),
    )
    expect(result).toMatchObject({ status: 'rejected', reason: { code: 'SQLITE_FULL' } })
    expect(clock.now() - started).toBeGreaterThanOrEqual(2000)
    expect(clock.now() - started).toBeLessThan(10_000)
  })
})
