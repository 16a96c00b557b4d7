import { FaustExtension, announcedExtensions } from '@faust/protocol'

/**
 * What the backend announced (docs/protocol.md §14): the extensions of the
 * socket attached now (a replaced or closed socket's no longer apply), and
 * whether the agents it knows have been re-announced since the router
 * started, so an id the router does not know can be told apart from an id it
 * does not know *yet*.
 */
export class BackendAnnouncement {
  #extensions: ReadonlySet<FaustExtension> = new Set()
  /** Whether the backend attached last announced `stored_acks`; null: none attached yet. */
  #lastAcks: boolean | null = null
  #announcedOnConnection = false
  #announcedSinceStart = false

  /** A backend socket said `alive` with `aliveData`; returns whether it speaks `stored_acks`. */
  attached(aliveData: unknown): boolean {
    this.#extensions = announcedExtensions(aliveData)
    this.#announcedOnConnection = false
    const acks = this.#extensions.has(FaustExtension.STORED_ACKS)
    this.#lastAcks = acks
    // Mephisto's backend never re-announces: once it is attached, every id it
    // issued is as known to the router as it will ever be.
    if (!acks) this.#announcedSinceStart = true
    return acks
  }

  /** The attached backend socket closed. */
  detached(): void {
    this.#extensions = new Set()
    this.#announcedOnConnection = false
  }

  /** The attached backend sent `faust_announced`. */
  announced(): void {
    this.#announcedOnConnection = true
    this.#announcedSinceStart = true
  }

  /** The extensions of the attached backend socket. */
  get extensions(): ReadonlySet<FaustExtension> {
    return this.#extensions
  }

  /** Whether the attached backend socket announced `stored_acks`. */
  get acks(): boolean {
    return this.#extensions.has(FaustExtension.STORED_ACKS)
  }

  /**
   * Whether submissions are held until the backend confirms them: the
   * attached backend announced `stored_acks`, or, with none attached, the
   * last one did or none has attached since the start (whichever attaches
   * next decides what leaves).
   */
  get holdsSubmissions(): boolean {
    return this.#lastAcks ?? true
  }

  /**
   * Whether an id the router does not know may be one it does not know *yet*:
   * no backend re-announced its agents since the start, or the attached one
   * (with `stored_acks`) has not finished doing so on this connection.
   */
  get unknownMayBeKnownSoon(): boolean {
    return !this.#announcedSinceStart || (this.acks && !this.#announcedOnConnection)
  }
}
