// The Faust backend: tasks, runs, units and workers in SQLite; registration; runners.

// Database: opening, lifecycle, schema
export { openDatabase, DEFAULT_DATA_DIR, DATABASE_FILE_NAME } from './db/open-database.js'
export type { OpenDatabaseOptions } from './db/open-database.js'
export { Store } from './db/store.js'
export type { Repositories } from './db/repositories.js'
export { MIGRATIONS } from './db/migration-provider.js'
export type { Database } from './db/schema.js'

// Database: statuses, ids, agent references
export {
  UnitStatus,
  UNIT_STATUSES,
  FINISHED_UNIT_STATUSES,
  isUnitStatus,
  unitStatusForAgentStatus,
} from './db/unit-status.js'
export { JsonColumnError } from './db/json-column-error.js'
export { randomId, RANDOM_ID_BYTES } from './db/random-id.js'
export type { IdGenerator } from './db/random-id.js'
export { ONBOARDING_ID_PREFIX, toSubjectId, parseSubjectId } from './db/agent-ref.js'
export type { AgentRef } from './db/agent-ref.js'
export type { StatusChange } from './db/status-history.js'

// Database: repositories and their records
export type {
  TasksRepository,
  TaskRecord,
  TaskIdentity,
  TaskTypeMismatch,
} from './db/tasks-repository.js'
export type {
  TaskRunsRepository,
  TaskRunRecord,
  NewTaskRun,
  CreatedTaskRun,
} from './db/task-runs-repository.js'
export type {
  AssignmentsRepository,
  AssignmentRecord,
  AssignmentWithUnits,
  NewAssignment,
  NewUnit,
  CreateAssignmentsOptions,
} from './db/assignments-repository.js'
export type {
  UnitsRepository,
  UnitRecord,
  WorkerUnitCounts,
  WorkerInRun,
} from './db/units-repository.js'
export type { WorkersRepository, WorkerRecord, WorkerIdentity } from './db/workers-repository.js'
export type {
  AgentsRepository,
  AgentRecord,
  ReserveUnitInput,
  Reservation,
  NoUnitReserved,
  StatusTransition,
} from './db/agents-repository.js'
export type {
  OnboardingAgentsRepository,
  OnboardingAgentRecord,
  NewOnboardingAgent,
} from './db/onboarding-agents-repository.js'
export type {
  QualificationsRepository,
  QualificationRecord,
  GrantRecord,
  WorkerQualification,
} from './db/qualifications-repository.js'
export type {
  SubmissionsRepository,
  SubmissionRecord,
  SubmissionFileRecord,
  NewSubmission,
  NewSubmissionFile,
  AlreadySubmitted,
} from './db/submissions-repository.js'
export type { LogsRepository, LogEntry } from './db/logs-repository.js'
export type {
  LiveUpdatesRepository,
  LiveUpdateRecord,
  LiveUpdateDirection,
} from './db/live-updates-repository.js'
export type {
  ResultsRepository,
  SubmissionExport,
  ExportQuery,
  UnitKind,
} from './db/results-repository.js'
export type {
  RemoteCallsRepository,
  RemoteCallRecord,
  NewRemoteCall,
  RemoteCallAnswer,
} from './db/remote-calls-repository.js'

// Tasks
export { defineTask, DEFAULT_BLOCK_QUALIFICATION } from './tasks/define-task.js'
export type {
  TaskOptions,
  TaskDefinition,
  WorkerInfo,
  UnitInfo,
  OnboardingAnswers,
  SubmittedUnit,
  TaskType,
} from './tasks/define-task.js'
export {
  DEFAULT_REMOTE_PROCEDURE_TIMEOUT_SECONDS,
  DEFAULT_REMOTE_PROCEDURE_MAX_IN_FLIGHT,
} from './tasks/remote-procedure.js'
export type { RemoteCall, RemoteProcedure, RemoteProcedures } from './tasks/remote-procedure.js'
export { loadTaskData } from './tasks/load-task-data.js'
export type {
  LiveAgent,
  LiveAssignmentContext,
  LiveData,
  LiveTaskOptions,
  LiveTaskSettings,
} from './tasks/live-task-options.js'
export {
  AgentError,
  AgentTimeoutError,
  AgentDisconnectedError,
  AgentShutdownError,
} from './tasks/agent-errors.js'
export { TASK_DONE_UPDATE } from './tasks/live-assignment.js'
export { referenceNeedsGold, goldQualifications } from './tasks/quality-options.js'
export type {
  ScreeningOptions,
  ScreeningData,
  GoldOptions,
  GoldCounts,
  ScreeningDefinition,
  GoldDefinition,
} from './tasks/quality-options.js'
export { SCREENING_UNIT_INDEX, GOLD_UNIT_INDEX } from './registration/quality-control.js'
export { COMPARATORS, meetsRequirement } from './registration/qualification-requirement.js'
export type {
  Comparator,
  QualificationRequirement,
} from './registration/qualification-requirement.js'

// Runs
export { runTask } from './run/run-task.js'
export { MAX_RESPONSE_LENGTH } from './run/remote-procedure-server.js'
export type { RemoteCallErrorCode } from './run/remote-procedure-server.js'
export type { RunTaskOptions, RouterAccess, TaskRunHandle, RunMemoryStats } from './run/run-task.js'
export type { RunProgress } from './run/launcher.js'

// Providers and the link to the router
export { mockProvider } from './providers/mock-provider.js'
export type { CrowdProvider, ProviderUnit } from './providers/crowd-provider.js'
export { RouterChannel, defaultRetryDelayMs } from './link/router-channel.js'
export type { RouterChannelOptions } from './link/router-channel.js'
export { silentLogger } from './backend-logger.js'
export type { BackendLogger } from './backend-logger.js'
