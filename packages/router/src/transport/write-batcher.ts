/** The part of a TCP socket the batcher needs. */
export interface Corkable {
  cork(): void
  uncork(): void
}

/**
 * Holds a socket's writes until the end of the current turn of the event
 * loop, so that every frame written to it in that turn leaves in one system
 * call. The write call is most of the router's cost per packet (one per frame,
 * and on loopback it also does the receiver's work); a burst of live updates
 * for the backend, or several packets for one agent, now share one. `ws`
 * corks each frame itself; Node counts corks, so ours holds its writes back.
 */
export class WriteBatcher {
  readonly #corked = new Set<Corkable>()
  #scheduled = false

  /** Call before writing to `socket`; it is uncorked after this turn. */
  hold(socket: Corkable): void {
    if (this.#corked.has(socket)) return
    socket.cork()
    this.#corked.add(socket)
    if (!this.#scheduled) {
      this.#scheduled = true
      setImmediate(() => {
        this.#flush()
      })
    }
  }

  #flush(): void {
    this.#scheduled = false
    const sockets = [...this.#corked]
    this.#corked.clear()
    for (const socket of sockets) socket.uncork()
  }
}
