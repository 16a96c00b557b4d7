import type { AgentStatus, Clock } from '@faust/protocol'
import type { BackendLogger } from '../../util/logger.js'
import type { Store } from '../../store/store.js'
import type { CrowdProvider } from '../../providers/crowd-provider.js'
import type { TaskDefinition } from '../../definition/define-task.js'
import type { LiveRunSettings } from './live-run-settings.js'

/** What every part of a live run shares. */
export interface RunContext {
  readonly task: TaskDefinition
  /**
   * The limits the run enforces now: the task's, or as an operator changed
   * them. Read these, never `task.maxConcurrentUnits` and the like.
   */
  readonly settings: LiveRunSettings
  readonly taskRunId: string
  readonly store: Store
  readonly provider: CrowdProvider
  readonly clock: Clock
  readonly logger: BackendLogger
  /** `<dataDir>/runs/<runId>`: submitted files live under it. */
  readonly runDir: string
  /** Sends `update_status` for `subjectId` to the router (queued while it is away). */
  pushStatus(subjectId: string, status: AgentStatus): void
}
