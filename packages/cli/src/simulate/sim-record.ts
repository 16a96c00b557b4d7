// What the bots saw during a simulation, for the checks run after it.

/** A submission the router acknowledged to a bot (HTTP 200 to `submit_task`). */
export interface SeenAck {
  readonly worker: string
  readonly agentId: string
  readonly data: unknown
}

/** A page a bot could not take further: a final refusal of its submission, or an error it kept. */
export interface StuckPage {
  readonly worker: string
  readonly agentId: string | null
  readonly what: string
}

/** Everything the bots report, shared by all of them. */
export class SimRecord {
  readonly acks: SeenAck[] = []
  readonly stuck: StuckPage[] = []
  /** Transient errors the bots met and got past (a refused registration is not one). */
  transientErrors = 0
  registrations = 0
  onboardingsPassed = 0

  ack(ack: SeenAck): void {
    this.acks.push(ack)
  }

  stuckPage(page: StuckPage): void {
    this.stuck.push(page)
  }
}
