// @faust/backend: what task authors and the CLI use — defining a task, running
// it, providers and logging. The store is at `@faust/backend/store`; the rest
// (link, services, runners) is internal. docs/backend.md lists every export.

// Tasks
export { defineTask, DEFAULT_BLOCK_QUALIFICATION } from './definition/define-task.js'
export type {
  TaskOptions,
  TaskDefinition,
  WorkerInfo,
  UnitInfo,
  OnboardingAnswers,
  SubmittedUnit,
  TaskType,
} from './definition/define-task.js'
export {
  DEFAULT_REMOTE_PROCEDURE_TIMEOUT_SECONDS,
  DEFAULT_REMOTE_PROCEDURE_MAX_IN_FLIGHT,
} from './definition/remote-procedure.js'
export type {
  RemoteCall,
  RemoteProcedure,
  RemoteProcedures,
} from './definition/remote-procedure.js'
export type {
  BotOptions,
  BotContext,
  BotOnboardingContext,
  BotUnitContext,
  BotLiveContext,
  BotLiveView,
} from './definition/bot-options.js'
export { loadTaskData } from './definition/load-task-data.js'
export { taskConfigFor } from './definition/task-config.js'
export type { TaskListing, TaskListingOptions } from './definition/task-listing.js'
export type {
  LiveAgent,
  LiveAssignmentContext,
  LiveData,
  LiveHistoryEntry,
  LiveTaskOptions,
  LiveTaskSettings,
} from './definition/live-task-options.js'
export {
  AgentError,
  AgentTimeoutError,
  AgentDisconnectedError,
  AgentShutdownError,
} from './definition/agent-errors.js'
export { TASK_DONE_UPDATE } from './services/runners/live-assignment.js'
export { referenceNeedsGold, goldQualifications } from './definition/quality-options.js'
export type {
  ScreeningOptions,
  ScreeningData,
  GoldOptions,
  GoldCounts,
  ScreeningDefinition,
  GoldDefinition,
} from './definition/quality-options.js'
export { SCREENING_UNIT_INDEX, GOLD_UNIT_INDEX } from './services/quality/quality-control.js'
export { COMPARATORS, meetsRequirement } from './definition/qualification-requirement.js'
export type {
  Comparator,
  QualificationRequirement,
} from './definition/qualification-requirement.js'

// Runs
export { runTask } from './run/run-task.js'
export { MAX_RESPONSE_LENGTH } from './services/procedures/remote-procedure-server.js'
export type { RemoteCallErrorCode } from './services/procedures/remote-procedure-server.js'
export type { RunTaskOptions, RouterAccess, TaskRunHandle, RunMemoryStats } from './run/run-task.js'
export type { RunObserver, ObservedRefusal, RegistrationStep } from './run/run-observer.js'
export type { RunProgress } from './run/launcher.js'
export type { ResumeSummary } from './run/recover-run.js'
export type { ListingOptions, RunPlatformOptions } from './run/platform-session.js'
export { reconcileRun } from './run/reconcile-run.js'
export type {
  ReconcileEvent,
  ReconcileEventKind,
  ReconcileReport,
  ReconcileInput,
} from './run/reconcile-run.js'
export { reviewUnits, ALL_PENDING } from './run/review-units.js'
export { changeRun, leaseIsFresh, readRunSettings } from './run/change-run.js'
export type { ChangeRunInput } from './run/change-run.js'
export { parseRunChange, RUN_SETTING_NAMES } from './run/run-change.js'
export type { RunChange, RunChangeResult, RunSettingName } from './run/run-change.js'
export type { RunSettings } from './services/context/live-run-settings.js'
export type { ReviewAction, ReviewOutcome, ReviewRefusal, ReviewInput } from './run/review-units.js'
export { createOperatorActions } from './run/operator/operator-actions.js'
export type {
  OperatorActions,
  OperatorActionsOptions,
  WorkerActionResult,
  WorkerActionReport,
  ReviewReport,
  RunChanger,
} from './run/operator/operator-actions.js'
export type { PlatformChange, PlatformFactory } from './run/operator/mirror-on-platform.js'
export { findPublishedRun } from './run/operator/published-run.js'
export type { PublishedRun, ListingReader, StoredListing } from './run/operator/published-run.js'
export { findTask } from './run/operator/find-task.js'
export { completionCodeFor } from './store/completion-code.js'
export { recordRouterEvents } from './run/router-events.js'
export type {
  RouterEventRecorder,
  RouterEventOptions,
  AgentConnectedEvent,
  AgentDisconnectedEvent,
  HeartbeatEvent,
} from './run/router-events.js'

// Providers and logging
export { mockProvider } from './providers/mock-provider.js'
export { crowdProviderFor } from './providers/crowd-provider-for.js'
export { platformFromEnvironment } from './providers/platform-from-environment.js'
export type { PlatformType } from './providers/platform-from-environment.js'
export { quoteCost } from './providers/quote-cost.js'
export type { CostQuote } from './providers/quote-cost.js'
export type { CrowdProvider, ProviderUnit } from './providers/crowd-provider.js'
export { AttemptStatus } from './providers/provider-platform.js'
export type {
  ProviderPlatform,
  ProviderIdentity,
  ProviderAttempt,
  ListingRecord,
  PublishRequest,
  ActionRequest,
  PlatformFees,
} from './providers/provider-platform.js'
// Prolific (providers/prolific/)
export {
  createProlificPlatform,
  prolificStudyUrl,
  PROLIFIC_DEFAULT_FEES,
  PROLIFIC_REJECTION_CATEGORIES,
} from './providers/prolific/prolific-platform.js'
export type {
  ProlificPlatform,
  ProlificPlatformOptions,
} from './providers/prolific/prolific-platform.js'
export { prolificPlatformFromEnvironment } from './providers/prolific/prolific-environment.js'
export type { ProlificEnvironmentOptions } from './providers/prolific/prolific-environment.js'
export {
  prolificWrapScript,
  PROLIFIC_COMPLETION_URL,
} from './providers/prolific/prolific-wrap-script.js'
export { ProlificClient } from './providers/prolific/prolific-client.js'
export type {
  ProlificClientOptions,
  ProlificRequestOptions,
} from './providers/prolific/prolific-client.js'
// Amazon Mechanical Turk (docs/providers.md)
export {
  createMturkPlatform,
  mturkPlatformFromEnvironment,
  identifyMturk,
  mturkWorkerName,
  MTURK_PRODUCTION_ENDPOINT,
  MTURK_SANDBOX_ENDPOINT,
} from './providers/mturk/mturk-platform.js'
export type {
  MturkPlatform,
  MturkPlatformOptions,
  MturkEnvironment,
} from './providers/mturk/mturk-platform.js'
export { mturkCrowdProvider } from './providers/mturk/mturk-crowd-provider.js'
export { MTURK_BLOCKED_QUALIFICATION } from './providers/mturk/mturk-listings.js'
export { silentLogger } from './util/logger.js'
export type { BackendLogger } from './util/logger.js'

// Errors: every error the backend raises carries a BackendErrorCode (docs/errors.md)
export {
  BackendErrorCode,
  TaskDefinitionError,
  TaskDataError,
  StoreValueError,
  StoreError,
  UploadError,
  RunError,
  ProviderError,
} from './util/backend-error.js'
export type { BackendErrorOptions } from './util/backend-error.js'
export type { AgentErrorCode } from './definition/agent-errors.js'
