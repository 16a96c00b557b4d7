import type { BlockedReason } from './blocked-reason.js'
import type { ClientError } from './client-error.js'
import type { RefusalKey } from './messages/index.js'

/**
 * `task_config.json`: the blueprint's frontend arguments. Only the keys the
 * client reads are typed; the rest reach the page untouched.
 */
export interface TaskConfig {
  readonly mephisto_task_version?: string
  readonly block_mobile?: boolean
  /** The worker's language (Faust, `defineTask({ locale })`): `en` and `es` ship. @default 'en' */
  readonly locale?: string
  /** The task's texts by locale then key (Faust, `defineTask({ messages })`), over the catalogues. */
  readonly messages?: Readonly<Record<string, Readonly<Record<string, string>>>>
  readonly [key: string]: unknown
}

/**
 * Where the page is, as `useMephistoTask` reports it: `loading` (config or
 * registration under way), `preview` (no worker or assignment id: never
 * registers), `ready` (an agent), `blocked` (see `blockedReason`) or `error`
 * (see `error`; `retry()` may help). The client's own state adds `submitted`.
 */
export type TaskStatus = 'loading' | 'preview' | 'ready' | 'blocked' | 'error'

/**
 * The task submission (or onboarding answers): `idle` (none yet), `saving`
 * (sent, not yet acknowledged: retried with backoff, and kept across a reload),
 * `saved` (the router acknowledged it) or `failed` (refused for good, or out of
 * tries; see `error`).
 */
export interface SubmissionState {
  readonly state: 'idle' | 'saving' | 'saved' | 'failed'
  /** Tries so far, the one under way included. */
  readonly attempts: number
  /** The last failure: while `saving`, what the next try answers; when `failed`, why. */
  readonly error: ClientError | null
}

/** Everything the page knows about its task and worker; field names are `mephisto-task`'s. */
export interface TaskState {
  /**
   * A {@link TaskStatus}, or `submitted` (Faust): after a reload, the agent's
   * work is stored (the registration answered that the agent already handed
   * in, or the submission the tab kept was resent and saved). `blockedReason`
   * is then `already_submitted` too, so that pages written for `mephisto-task`
   * show its text, not an empty form. A submission saved without a reload
   * leaves `ready`, as `mephisto-task` does, with `submission.state` `saved`.
   */
  readonly status: TaskStatus | 'submitted'
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
  /**
   * The text to show a blocked worker, in the task's language
   * (`taskConfig.locale`): the catalogue's text for the backend's
   * `failure_reason` (see `refusal`), a text it does not know verbatim, or the client's.
   */
  readonly blockedExplanation: string | null
  /**
   * Why the backend refused the worker (`blockedReason` `null_agent_id`), by
   * {@link FailureReason}'s key, found from its `failure_reason` text; null
   * for a text the client does not know, absent when not refused (Faust).
   */
  readonly refusal?: RefusalKey | null
  /** True once a preview has its config or an agent is registered. */
  readonly loaded: boolean
  /** Why loading or registration failed (status `error`). */
  readonly error: ClientError | null
  /** Where the task submission is (Faust); absent until there is one, which means `idle`. */
  readonly submission?: SubmissionState
  /**
   * Once the work is saved: the answer as stored (when the task shows it) or
   * as this page sent it; null when neither is known (Faust). Absent before.
   */
  readonly submittedData?: unknown
}
