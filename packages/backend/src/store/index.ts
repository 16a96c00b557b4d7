// @faust/backend/store: the SQLite store a run writes and the CLI reads —
// opening it, its repositories, records, statuses and migrations.

// Database: opening, lifecycle, schema
export { openDatabase, DEFAULT_DATA_DIR, DATABASE_FILE_NAME } from './open-database.js'
export type { OpenDatabaseOptions } from './open-database.js'
export { Store } from './store.js'
export type { Repositories } from './repositories.js'
export { MIGRATIONS } from './migration-provider.js'
export { limitStoreGrowth } from './disk-full-fault.js'
export type { Database } from './schema.js'

// Database: statuses, ids, agent references
export {
  UnitStatus,
  UNIT_STATUSES,
  FINISHED_UNIT_STATUSES,
  isUnitStatus,
  unitStatusForAgentStatus,
} from './unit-status.js'
export { JsonColumnError } from './json-column-error.js'
export { randomId, RANDOM_ID_BYTES } from './random-id.js'
export type { IdGenerator } from './random-id.js'
export { ONBOARDING_ID_PREFIX, toSubjectId, parseSubjectId } from './agent-ref.js'
export type { AgentRef } from './agent-ref.js'
export type { StatusChange } from './status-history.js'

// Database: repositories and their records
export type {
  TasksRepository,
  TaskRecord,
  TaskIdentity,
  TaskTypeMismatch,
} from './tasks-repository.js'
export type {
  TaskRunsRepository,
  TaskRunRecord,
  NewTaskRun,
  CreatedTaskRun,
} from './task-runs-repository.js'
export type {
  AssignmentsRepository,
  AssignmentRecord,
  AssignmentWithUnits,
  NewAssignment,
  NewUnit,
  CreateAssignmentsOptions,
} from './assignments-repository.js'
export type {
  UnitsRepository,
  UnitRecord,
  WorkerUnitCounts,
  WorkerInRun,
} from './units-repository.js'
export type { WorkersRepository, WorkerRecord, WorkerIdentity } from './workers-repository.js'
export type {
  AgentsRepository,
  AgentRecord,
  ReserveUnitInput,
  ProviderAttemptLink,
  Reservation,
  NoUnitReserved,
  StatusTransition,
} from './agents-repository.js'
export type {
  OnboardingAgentsRepository,
  OnboardingAgentRecord,
  NewOnboardingAgent,
} from './onboarding-agents-repository.js'
export type {
  QualificationsRepository,
  QualificationRecord,
  GrantRecord,
  WorkerQualification,
} from './qualifications-repository.js'
export type {
  SubmissionsRepository,
  SubmissionRecord,
  SubmissionFileRecord,
  NewSubmission,
  NewSubmissionFile,
  AlreadySubmitted,
} from './submissions-repository.js'
export type { LogsRepository, LogEntry } from './logs-repository.js'
export type {
  LiveUpdatesRepository,
  LiveUpdateRecord,
  LiveUpdateDirection,
} from './live-updates-repository.js'
export type {
  ResultsRepository,
  SubmissionExport,
  ExportQuery,
  UnitKind,
} from './results-repository.js'
export type {
  RemoteCallsRepository,
  RemoteCallRecord,
  NewRemoteCall,
  RemoteCallAnswer,
} from './remote-calls-repository.js'
export type {
  ProviderRecordsRepository,
  ProviderListingRow,
  ProviderListingState,
  ProviderAttemptRow,
  NewProviderAttempt,
  ProviderActionKind,
  ProviderActionRow,
  NewProviderAction,
  ReconcileEventRow,
} from './provider-records-repository.js'
export type {
  AuditRepository,
  AuditEntry,
  NewAuditEntry,
  AuditQuery,
  AuditActor,
  AuditOutcome,
} from './audit-repository.js'
export type {
  AgentEventsRepository,
  AgentEventRecord,
  NewAgentEvent,
  AgentEventKind,
} from './agent-events-repository.js'
