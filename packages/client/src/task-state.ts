import type { BlockedReason } from './blocked-reason.js'
import type { ClientError } from './client-error.js'

/**
 * `task_config.json`: the blueprint's frontend arguments. Only the keys the
 * client reads are typed; the rest reach the page untouched.
 */
export interface TaskConfig {
  readonly mephisto_task_version?: string
  readonly block_mobile?: boolean
  readonly [key: string]: unknown
}

/**
 * Where the page is: `loading` (config or registration under way), `preview`
 * (no worker or assignment id: never registers), `ready` (an agent),
 * `blocked` (see `blockedReason`) or `error` (see `error`; `retry()` may help).
 */
export type TaskStatus = 'loading' | 'preview' | 'ready' | 'blocked' | 'error'

/** Everything the page knows about its task and worker; field names are `mephisto-task`'s. */
export interface TaskState {
  readonly status: TaskStatus
  /** The provider's worker id, or null. */
  readonly providerWorkerId: string | null
  /** The provider's assignment id, or null. */
  readonly assignmentId: string | null
  /** True when either provider id is missing: the page shows a preview and never registers. */
  readonly isPreview: boolean
  /** `task_config.json`, once loaded. */
  readonly taskConfig: TaskConfig | null
  /** The backend's worker id (also set when the backend refuses the worker). */
  readonly mephistoWorkerId: string | null
  /** The agent id, `onboarding_…` during onboarding; null before registration or when refused. */
  readonly agentId: string | null
  /** The agent id, set only on a successful registration. */
  readonly mephistoAgentId: string | null
  /** Whether `agentId` is an onboarding agent; null before registration. */
  readonly isOnboarding: boolean | null
  /** The backend's `init_task_data` for this agent. */
  readonly initialTaskData: unknown
  readonly blockedReason: BlockedReason | null
  /** The text to show a blocked worker: the backend's `failure_reason` verbatim, or the client's. */
  readonly blockedExplanation: string | null
  /** True once a preview has its config or an agent is registered. */
  readonly loaded: boolean
  /** Why loading or registration failed (status `error`). */
  readonly error: ClientError | null
}
