import type { LiveUpdate, TaskClient } from '@faust/client'
import { deferred, within } from '../deferred.js'

interface Waiter {
  readonly match: (update: LiveUpdate) => boolean
  readonly resolve: (update: LiveUpdate) => void
}

/**
 * Every live update a bot's page received, in order, and a way to take the
 * next one that matches: an update that came before the test asked is still
 * found, so no test races the socket.
 */
export class LiveInbox {
  /** Everything received so far, replayed past updates included. */
  readonly received: LiveUpdate[] = []
  readonly #taken = new Set<number>()
  readonly #waiters: Waiter[] = []

  constructor(client: TaskClient) {
    client.live.onLiveUpdate((update) => {
      this.#add(update)
    })
  }

  /** The first update not taken yet that satisfies `predicate`, waiting up to `waitMs` for it. */
  async next(predicate: (update: LiveUpdate) => boolean, waitMs: number): Promise<LiveUpdate> {
    const index = this.received.findIndex(
      (update, position) => !this.#taken.has(position) && predicate(update),
    )
    if (index !== -1) {
      this.#taken.add(index)
      return this.received[index] as LiveUpdate
    }
    const arrival = deferred<LiveUpdate>()
    const waiter: Waiter = {
      match: predicate,
      resolve: (update) => {
        arrival.resolve(update)
      },
    }
    this.#waiters.push(waiter)
    try {
      return await within(arrival.promise, waitMs, 'a live update')
    } finally {
      // A waiter that timed out must not take a later update from the next one.
      const left = this.#waiters.indexOf(waiter)
      if (left !== -1) this.#waiters.splice(left, 1)
    }
  }

  #add(update: LiveUpdate): void {
    const position = this.received.push(update) - 1
    const waiter = this.#waiters.findIndex((candidate) => candidate.match(update))
    if (waiter === -1) return
    this.#taken.add(position)
    const [{ resolve }] = this.#waiters.splice(waiter, 1) as [Waiter]
    resolve(update)
  }
}
