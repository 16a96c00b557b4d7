import type { AgentStatus } from '@faust/protocol'
import { BackendErrorCode } from '../util/backend-error.js'

/** The codes an {@link AgentError} carries. */
export type AgentErrorCode =
  | typeof BackendErrorCode.AGENT_TIMED_OUT
  | typeof BackendErrorCode.AGENT_DISCONNECTED
  | typeof BackendErrorCode.RUN_STOPPING

/** Base of the errors a {@link LiveAgent}'s waits end with. */
export class AgentError extends Error {
  /** The agent whose departure (or silence) caused this. */
  readonly agentId: string
  /** Which of the three ways the wait ended. */
  readonly code: AgentErrorCode
  constructor(message: string, agentId: string, code: AgentErrorCode) {
    super(message)
    this.name = new.target.name
    this.agentId = agentId
    this.code = code
  }
}

/** Nothing came from the agent within the timeout; it is now `timeout`. */
export class AgentTimeoutError extends AgentError {
  constructor(agentId: string) {
    super(`agent ${agentId} timed out`, agentId, BackendErrorCode.AGENT_TIMED_OUT)
  }
}

/** The agent left (disconnected, returned, expired, timed out): `agentId` may be a partner's. */
export class AgentDisconnectedError extends AgentError {
  readonly status: AgentStatus
  constructor(agentId: string, status: AgentStatus) {
    super(`agent ${agentId} left (${status})`, agentId, BackendErrorCode.AGENT_DISCONNECTED)
    this.status = status
  }
}

/** The run is stopping. */
export class AgentShutdownError extends AgentError {
  constructor(agentId: string) {
    super(`the run is stopping (agent ${agentId})`, agentId, BackendErrorCode.RUN_STOPPING)
  }
}
