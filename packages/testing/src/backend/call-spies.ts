// Spies that let a test put an event exactly before, inside or after a call
// of a backend method.
import { vi } from 'vitest'
import { within } from '../deferred.js'
import { WAIT_MS } from './wait-limit.js'

/**
 * Resolves after the next call of `object[method]` has finished (its promise
 * settled), with the call's arguments; unbounded, for racing against another
 * event. The spy is restored after each test.
 */
export function afterCall<TObject extends object, TMethod extends keyof TObject & string>(
  object: TObject,
  method: TMethod,
): Promise<unknown[]> {
  const original = object[method] as (...args: unknown[]) => Promise<unknown>
  let resolveCall!: (args: unknown[]) => void
  const called = new Promise<unknown[]>((resolve) => (resolveCall = resolve))
  const spy = vi.spyOn(object, method as never) as unknown as {
    mockImplementation(fn: (...args: unknown[]) => Promise<unknown>): void
    mockRestore(): void
  }
  spy.mockImplementation(async (...args: unknown[]) => {
    try {
      return await original.apply(object, args)
    } finally {
      spy.mockRestore()
      resolveCall(args)
    }
  })
  return called
}

/** {@link afterCall}, failing the test if the call does not come. */
export function nextCall<TObject extends object, TMethod extends keyof TObject & string>(
  object: TObject,
  method: TMethod,
): Promise<unknown[]> {
  return within(afterCall(object, method), WAIT_MS, `a call of ${method}`)
}

/** A method call held at its start until the test releases it. */
export interface HeldCall {
  /** Resolves (within the wait limit) once the method has been called. */
  entered(): Promise<unknown[]>
  /** The same, unbounded: for racing against another event. */
  readonly called: Promise<unknown[]>
  /** Lets the held call (and every later one) run. */
  release(): void
}

/**
 * Holds the next call of `object[method]` before it runs, so a test can put
 * another event exactly inside it. Later calls run normally once released.
 */
export function hold<TObject extends object, TMethod extends keyof TObject & string>(
  object: TObject,
  method: TMethod,
): HeldCall {
  const original = object[method] as (...args: unknown[]) => Promise<unknown>
  let enter!: (args: unknown[]) => void
  const entered = new Promise<unknown[]>((resolve) => (enter = resolve))
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  const spy = vi.spyOn(object, method as never) as unknown as {
    mockImplementation(fn: (...args: unknown[]) => Promise<unknown>): void
  }
  spy.mockImplementation(async (...args: unknown[]) => {
    enter(args)
    await released
    return original.apply(object, args)
  })
  return {
    entered: () => within(entered, WAIT_MS, `a call of ${method}`),
    called: entered,
    release,
  }
}
