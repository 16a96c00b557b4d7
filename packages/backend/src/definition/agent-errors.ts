import type { AgentStatus } from '@faust/protocol'

/** Base of the errors a {@link LiveAgent}'s waits end with. */
export class AgentError extends Error {
  /** The agent whose departure (or silence) caused this. */
  readonly agentId: string
  constructor(message: string, agentId: string) {
    super(message)
    this.name = new.target.name
    this.agentId = agentId
  }
}

/** Nothing came from the agent within the timeout; it is now `timeout`. */
export class AgentTimeoutError extends AgentError {
  constructor(agentId: string) {
    super(`agent ${agentId} timed out`, agentId)
  }
}

/** The agent left (disconnected, returned, expired, timed out): `agentId` may be a partner's. */
export class AgentDisconnectedError extends AgentError {
  readonly status: AgentStatus
  constructor(agentId: string, status: AgentStatus) {
    super(`agent ${agentId} left (${status})`, agentId)
    this.status = status
  }
}

/** The run is stopping. */
export class AgentShutdownError extends AgentError {
  constructor(agentId: string) {
    super(`the run is stopping (agent ${agentId})`, agentId)
  }
}
