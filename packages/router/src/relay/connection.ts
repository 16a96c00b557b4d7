/**
 * The relay's view of one WebSocket: enough to send text and close. The
 * transport layer implements it over `ws`; unit tests implement it in memory.
 */
export interface Connection {
  /** Whether frames can still be written. */
  readonly isOpen: boolean
  send(text: string): void
  close(code: number, reason: string): void
}

/** A worker's socket, bound to one agent id by its first `alive` or `heartbeat`. */
export interface AgentConnection extends Connection {
  agentId: string | null
}
