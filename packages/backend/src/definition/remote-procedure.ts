import type { UnitInfo, WorkerInfo } from './task-info.js'

/** What a remote procedure knows about the call it serves. */
export interface RemoteCall {
  /** The page's `request_id`. */
  readonly requestId: string
  /** The procedure's name, as the page called it. */
  readonly target: string
  /** The agent as the page knows it (`onboarding_<id>` during onboarding). */
  readonly agentId: string
  readonly worker: WorkerInfo
  /** The unit being worked on; null during onboarding. */
  readonly unit: UnitInfo | null
  /** Set during onboarding: the onboarding's data; null on a unit. */
  readonly onboarding: { readonly data: unknown } | null
  /**
   * Aborted when the call has timed out (its error answer is already sent)
   * or the run is ending: pass it to `fetch` and the like so work stops.
   */
  readonly signal: AbortSignal
}

/**
 * A procedure the page can call: `args` is the object the page passed
 * (parsed), the result is sent back as JSON. A throw (or rejection) answers
 * the page with an error carrying the thrown error's message.
 */
export type RemoteProcedure = (args: Record<string, unknown>, call: RemoteCall) => unknown

/** Remote procedures by name. */
export type RemoteProcedures = Readonly<Record<string, RemoteProcedure>>

/**
 * The backend's default limit on one call. Below the client's 30 s
 * (`rpcTimeoutMs`), so the page hears the backend's explanation rather than
 * giving up on its own.
 */
export const DEFAULT_REMOTE_PROCEDURE_TIMEOUT_SECONDS = 25

/** The default number of calls one agent may have in flight; more are refused at once. */
export const DEFAULT_REMOTE_PROCEDURE_MAX_IN_FLIGHT = 16
