// The Faust backend: tasks, runs, units and workers in SQLite; registration; runners.

// Database: opening, lifecycle, schema
export { openDatabase, DEFAULT_DATA_DIR, DATABASE_FILE_NAME } from './store/open-database.js'
export type { OpenDatabaseOptions } from './store/open-database.js'
export { Store } from './store/store.js'
export type { Repositories } from './store/repositories.js'
export { MIGRATIONS } from './store/migration-provider.js'
export type { Database } from './store/schema.js'

// Database: statuses, ids, agent references
export {
  UnitStatus,
  UNIT_STATUSES,
  FINISHED_UNIT_STATUSES,
  isUnitStatus,
  unitStatusForAgentStatus,
} from './store/unit-status.js'
export { JsonColumnError } from './store/json-column-error.js'
export { randomId, RANDOM_ID_BYTES } from './store/random-id.js'
export type { IdGenerator } from './store/random-id.js'
export { ONBOARDING_ID_PREFIX, toSubjectId, parseSubjectId } from './store/agent-ref.js'
export type { AgentRef } from './store/agent-ref.js'
export type { StatusChange } from './store/status-history.js'

// Database: repositories and their records
export type {
  TasksRepository,
  TaskRecord,
  TaskIdentity,
  TaskTypeMismatch,
} from './store/tasks-repository.js'
export type {
  TaskRunsRepository,
  TaskRunRecord,
  NewTaskRun,
  CreatedTaskRun,
} from './store/task-runs-repository.js'
export type {
  AssignmentsRepository,
  AssignmentRecord,
  AssignmentWithUnits,
  NewAssignment,
  NewUnit,
  CreateAssignmentsOptions,
} from './store/assignments-repository.js'
export type {
  UnitsRepository,
  UnitRecord,
  WorkerUnitCounts,
  WorkerInRun,
} from './store/units-repository.js'
export type { WorkersRepository, WorkerRecord, WorkerIdentity } from './store/workers-repository.js'
export type {
  AgentsRepository,
  AgentRecord,
  ReserveUnitInput,
  Reservation,
  NoUnitReserved,
  StatusTransition,
} from './store/agents-repository.js'
export type {
  OnboardingAgentsRepository,
  OnboardingAgentRecord,
  NewOnboardingAgent,
} from './store/onboarding-agents-repository.js'
export type {
  QualificationsRepository,
  QualificationRecord,
  GrantRecord,
  WorkerQualification,
} from './store/qualifications-repository.js'
export type {
  SubmissionsRepository,
  SubmissionRecord,
  SubmissionFileRecord,
  NewSubmission,
  NewSubmissionFile,
  AlreadySubmitted,
} from './store/submissions-repository.js'
export type { LogsRepository, LogEntry } from './store/logs-repository.js'
export type {
  LiveUpdatesRepository,
  LiveUpdateRecord,
  LiveUpdateDirection,
} from './store/live-updates-repository.js'
export type {
  ResultsRepository,
  SubmissionExport,
  ExportQuery,
  UnitKind,
} from './store/results-repository.js'
export type {
  RemoteCallsRepository,
  RemoteCallRecord,
  NewRemoteCall,
  RemoteCallAnswer,
} from './store/remote-calls-repository.js'

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
export { loadTaskData } from './definition/load-task-data.js'
export type {
  LiveAgent,
  LiveAssignmentContext,
  LiveData,
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
export type { RunProgress } from './run/launcher.js'

// Providers and the link to the router
export { mockProvider } from './providers/mock-provider.js'
export type { CrowdProvider, ProviderUnit } from './providers/crowd-provider.js'
export { RouterChannel, defaultReconnectDelayMs } from './link/router-channel.js'
export type { RouterChannelOptions } from './link/router-channel.js'
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
} from './util/backend-error.js'
export type { BackendErrorOptions } from './util/backend-error.js'
export type { AgentErrorCode } from './definition/agent-errors.js'
