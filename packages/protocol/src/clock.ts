/** An opaque handle returned by {@link Clock.setTimeout} and {@link Clock.setInterval}. */
export type TimerHandle = NonNullable<unknown>

/**
 * The source of time for everything with a timeout: heartbeats, reconnects,
 * held requests, expiry. Injected per instance so tests drive time with a fake
 * clock instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
  setTimeout(callback: () => void, delayMs: number): TimerHandle
  clearTimeout(handle: TimerHandle): void
  setInterval(callback: () => void, intervalMs: number): TimerHandle
  clearInterval(handle: TimerHandle): void
}

// The protocol package builds without Node or DOM typings; these are the
// timer globals that both environments provide.
declare function setTimeout(callback: () => void, delayMs: number): NonNullable<unknown>
declare function clearTimeout(handle: unknown): void
declare function setInterval(callback: () => void, intervalMs: number): NonNullable<unknown>
declare function clearInterval(handle: unknown): void

// Arrow functions over the globals (not references to them) so that fake
// timers installed after this module loaded still apply.
/** The real clock: `Date.now()` and the global timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => {
    clearTimeout(handle)
  },
  setInterval: (callback, intervalMs) => setInterval(callback, intervalMs),
  clearInterval: (handle) => {
    clearInterval(handle)
  },
}

/** Wire timestamps are float seconds; clocks count milliseconds. */
export function toWireSeconds(ms: number): number {
  return ms / 1000
}
