import type { UnitInfo, WorkerInfo } from './task-info.js'

/** A live update: a plain JSON object (`update_id` is added when missing). */
export type LiveData = Readonly<Record<string, unknown>>

/** One stored live update of an agent: what the task sent it (`to_agent`) or what its page sent (`from_agent`). */
export interface LiveHistoryEntry {
  readonly direction: 'to_agent' | 'from_agent'
  readonly data: LiveData
  /** When it was stored, in epoch milliseconds. */
  readonly at: number
}

/**
 * One worker in a running concurrent assignment, as task code drives it.
 * Every wait is bounded by its `timeoutSeconds` (on the run's clock) and ends
 * early with a typed error when the agent (or the assignment) is gone.
 */
export interface LiveAgent {
  /** The agent id (the page's `agentId`). */
  readonly id: string
  readonly worker: WorkerInfo
  readonly unit: UnitInfo
  /** Sends `data` to the page (`client_bound_live_update`), stored for reloads. */
  observe(data: LiveData): Promise<void>
  /**
   * The page's next live update (`mephisto_bound_live_update`), in order.
   * Without a timeout it waits until one arrives or the assignment ends.
   * @throws AgentTimeoutError nothing came in time (the agent is now `timeout`)
   * @throws AgentDisconnectedError this agent, or a partner, left
   * @throws AgentShutdownError the run is stopping
   */
  receive(options?: { readonly timeoutSeconds?: number | undefined }): Promise<LiveData>
  /**
   * Resolves with the stored submission once the page has submitted.
   * @throws the same errors as {@link receive}
   */
  awaitSubmit(options?: { readonly timeoutSeconds?: number | undefined }): Promise<unknown>
  /**
   * Every live update stored for this agent so far, both ways, oldest first:
   * what a `run` re-entered after a restart (`resumed`) continues from.
   */
  history(): Promise<readonly LiveHistoryEntry[]>
}

/** What a concurrent task's `run` receives. */
export interface LiveAssignmentContext<TData = unknown> {
  /** The agents, in unit order. */
  readonly agents: readonly LiveAgent[]
  readonly assignment: { readonly id: string; readonly data: TData }
  /** Aborted when the assignment ends early (a dropout, a timeout, the run stopping). */
  readonly signal: AbortSignal
  /**
   * True when `run` is called again for an assignment that was already
   * running when the backend's process died (the run was resumed, see
   * docs/backend.md "Resuming a run"): what happened before is in each
   * agent's `history()`; updates a page sent while no backend ran are lost.
   */
  readonly resumed: boolean
}

/** Options only concurrent tasks take (part of `defineTask`'s options). */
export interface LiveTaskOptions<TData = unknown> {
  /**
   * A concurrent task's body: called once all `unitsPerAssignment` workers
   * are present. When it returns, each worker still in the task must submit
   * within `submissionTimeoutSeconds`.
   */
  readonly run?: ((context: LiveAssignmentContext<TData>) => Promise<void>) | undefined
  /** How long a worker waits for partners before being released (`expired`). @default 600 */
  readonly waitingRoomSeconds?: number | undefined
  /** How long workers have to submit once `run` has returned or a partner left. @default 600 */
  readonly submissionTimeoutSeconds?: number | undefined
}

/** A concurrent task's settings with defaults applied. */
export interface LiveTaskSettings<TData = unknown> {
  readonly run: (context: LiveAssignmentContext<TData>) => Promise<void>
  readonly waitingRoomSeconds: number
  readonly submissionTimeoutSeconds: number
}
