import type { Clock } from '@faust/protocol'
import type { TaskDefinition } from '../definition/define-task.js'
import type { CrowdProvider } from '../providers/crowd-provider.js'
import type { Store } from '../store/store.js'
import type { BackendLogger } from '../util/logger.js'
import type { RunProgress } from './launcher.js'
import type { RunPlatformOptions } from './platform-session.js'
import type { ResumeSummary } from './recover-run.js'
import type { RunChange, RunChangeResult } from './run-change.js'
import type { RunSettings } from '../services/context/live-run-settings.js'
import type { AuditActor } from '../store/audit-repository.js'
import type { RunObserver } from './run-observer.js'

/** Where the run's router is and how to reach it. */
export interface RouterAccess {
  /** `ws://host:port/`. */
  readonly socketUrl: string
  /** `http://host:port`, for downloads when the router is remote. */
  readonly httpUrl: string
  readonly token: string
  /** The router's upload folder when it runs on this machine (files are copied, not downloaded). */
  readonly uploadDir?: string | undefined
}

/** Options of {@link runTask}. */
export interface RunTaskOptions {
  readonly task: TaskDefinition
  /** Relative `data` paths resolve against this folder (the task file's). */
  readonly baseDir: string
  readonly store: Store
  readonly router: RouterAccess
  /** @default mockProvider, or with `platform` crowdProviderFor(platform, completionCode) */
  readonly provider?: CrowdProvider | undefined
  /**
   * A paid platform (Prolific, MTurk): the run quotes the cost, asks
   * `confirmPublish`, publishes once, keeps the open places in step,
   * reconciles every `reconcileEveryMs` and closes the listing at the end
   * (docs/providers.md).
   */
  readonly platform?: RunPlatformOptions | undefined
  /** @default systemClock */
  readonly clock?: Clock | undefined
  readonly logger?: BackendLogger | undefined
  /** @default 4000 */
  readonly statusPollMs?: number | undefined
  /** How long to wait for the first connection to the router. @default 30000 */
  readonly connectTimeoutMs?: number | undefined
  /**
   * Start a new run even if the data folder holds an unfinished run of the
   * task (that one is ended first, its unfinished units expired). Without
   * it, such a run is resumed (docs/backend.md, "Resuming a run").
   * @default false
   */
  readonly newRun?: boolean | undefined
  /**
   * Told of registrations, stored submissions, store commits and backlog
   * sizes, for metrics (run-observer.ts). A hook that throws is logged and
   * ignored.
   */
  readonly observer?: RunObserver | undefined
  /** How often the backlog is sampled for `observer.backlog`. @default 1000 */
  readonly backlogEveryMs?: number | undefined
}

/** One unit of a run, as a worker link needs it. */
export interface RunUnit {
  readonly id: string
  readonly assignmentId: string
  readonly unitIndex: number
}

/** A run in progress. */
export interface TaskRunHandle extends AsyncDisposable {
  readonly runId: string
  /** The units in creation order (one worker link each). */
  readonly units: readonly RunUnit[]
  /** What resuming found and did, when this run is an unfinished one taken up again; `null` for a new run. */
  readonly resumed: ResumeSummary | null
  progress(): Promise<RunProgress>
  /** The limits the run enforces now (its task's, or as changed live). */
  settings(): RunSettings
  /**
   * Applies a live change at once and audits it (docs/console.md, "Changing
   * a live run"); throws RUN_CHANGE_INVALID or RUN_ENDED.
   */
  change(change: RunChange, actor: AuditActor): Promise<RunChangeResult>
  /** Called after every change of a unit or an onboarding; returns an unsubscribe function. */
  onProgress(listener: (progress: RunProgress) => void): () => void
  /**
   * Sizes of the run's per-agent state held in memory: each returns to a
   * small bound once the agents' units end, whatever the run's length.
   */
  stats(): RunMemoryStats
  /** Resolves when every unit is final (completed or expired). */
  readonly done: Promise<RunProgress>
  /**
   * Ends the run now: no new registrations, packets being handled finish, the
   * agents still working become `expired` (and are told), every unfinished
   * unit is expired, the run is marked ended.
   */
  stop(): Promise<RunProgress>
  /**
   * Leaves the run to be resumed (Ctrl-C in `faust run`): no new
   * registrations, packets being handled finish, the router link closes and
   * every timer stops; agents, units and their stored deadlines stay as they
   * are and the run stays unfinished, so the next run of the task resumes it
   * (docs/backend.md, "Resuming a run"). A call after {@link stop} (or the
   * reverse) returns the first one's result.
   */
  pause(): Promise<RunProgress>
}

/** What {@link TaskRunHandle.stats} reports. */
export interface RunMemoryStats {
  /** Agents still working whose last pushed status is kept (re-announced on reconnect). */
  readonly pushedStatuses: number
  /** Ended agents whose final status is remembered (at most 10,000). */
  readonly endedStatuses: number
  /** Agents whose caller (worker, unit) is cached for remote calls. */
  readonly remoteCallers: number
  /** Agents with a remote call in flight. */
  readonly agentsWithRemoteCalls: number
  /** Onboarding verdicts kept for repeated submits (at most 10,000). */
  readonly onboardingVerdicts: number
}
