/** A promise with its resolve and reject exposed (Node 20 has no `Promise.withResolvers`). */
export interface Deferred<TValue> {
  readonly promise: Promise<TValue>
  resolve(value: TValue): void
  reject(reason: unknown): void
}

/** Creates a {@link Deferred}. */
export function deferred<TValue>(): Deferred<TValue> {
  let resolve!: (value: TValue) => void
  let reject!: (reason: unknown) => void
  const promise = new Promise<TValue>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/**
 * Rejects if `promise` has not settled within `ms` of real time. A safety net
 * so a broken test fails fast instead of hanging; never a way to wait.
 */
export async function within<TValue>(
  promise: Promise<TValue>,
  ms: number,
  what: string,
): Promise<TValue> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`timed out after ${String(ms)} ms waiting for ${what}`))
    }, ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}
