import type { Clock, TimerHandle } from '@faust/protocol'

interface Timer {
  readonly id: number
  at: number
  readonly callback: () => void
  readonly intervalMs: number | null
}

/**
 * A {@link Clock} whose time moves only when a test calls {@link advance}.
 * Timers fire in time order, including ones scheduled while advancing.
 */
export class FakeClock implements Clock {
  #now: number
  #nextId = 1
  readonly #timers = new Map<number, Timer>()

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.#now = startMs
  }

  now(): number {
    return this.#now
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    return this.#add(callback, delayMs, null)
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers.delete(handle as number)
  }

  setInterval(callback: () => void, intervalMs: number): TimerHandle {
    return this.#add(callback, intervalMs, Math.max(1, intervalMs))
  }

  clearInterval(handle: TimerHandle): void {
    this.#timers.delete(handle as number)
  }

  /** Timers not yet fired or cleared. */
  get pendingTimers(): number {
    return this.#timers.size
  }

  /** Moves time forward by `ms`, firing every timer due on the way. */
  advance(ms: number): void {
    const target = this.#now + ms
    for (;;) {
      const due = this.#earliestDue(target)
      if (due === undefined) break
      this.#now = due.at
      if (due.intervalMs === null) this.#timers.delete(due.id)
      else due.at += due.intervalMs
      due.callback()
    }
    this.#now = target
  }

  #earliestDue(limit: number): Timer | undefined {
    let earliest: Timer | undefined
    for (const timer of this.#timers.values()) {
      if (timer.at <= limit && (earliest === undefined || timer.at < earliest.at)) earliest = timer
    }
    return earliest
  }

  #add(callback: () => void, delayMs: number, intervalMs: number | null): number {
    const id = this.#nextId++
    this.#timers.set(id, { id, at: this.#now + Math.max(0, delayMs), callback, intervalMs })
    return id
  }
}
