import type { AgentStatus } from '@faust/protocol'
import type { ColumnType, Generated } from 'kysely'
import type { JsonText } from './json-column.js'
import type { UnitStatus } from './unit-status.js'

// Column conventions: ids are random TEXT (never autoincrement where a browser
// could see them); timestamps are INTEGER milliseconds from the injected clock;
// JSON documents are TEXT. `Immutable` columns can be inserted but never updated.

/** A column that is written once on insert and never updated. */
export type Immutable<TValue> = ColumnType<TValue, TValue, never>

/** `tasks`: one row per task name; every run of a task shares it. */
export interface TasksTable {
  id: Immutable<string>
  name: string
  task_type: string
  created_at: Immutable<number>
}

/** `task_runs`: one launch of a task, with its configuration. */
export interface TaskRunsTable {
  id: Immutable<string>
  task_id: Immutable<string>
  provider_type: string
  config: JsonText
  created_at: Immutable<number>
  ended_at: number | null
}

/** `assignments`: a group of units sharing `shared_data` (one unit per worker). */
export interface AssignmentsTable {
  id: Immutable<string>
  task_run_id: Immutable<string>
  shared_data: JsonText
  created_at: Immutable<number>
}

/** `units`: one worker's slot in an assignment; `status` is a {@link UnitStatus}. */
export interface UnitsTable {
  id: Immutable<string>
  assignment_id: Immutable<string>
  task_run_id: Immutable<string>
  unit_index: Immutable<number>
  unit_data: JsonText
  pay: number
  status: UnitStatus
  worker_id: string | null
  agent_id: string | null
  created_at: Immutable<number>
  updated_at: number
}

/** `workers`: a crowd worker as named by one provider. */
export interface WorkersTable {
  id: Immutable<string>
  provider_type: Immutable<string>
  worker_name: Immutable<string>
  created_at: Immutable<number>
}

/** `agents`: one worker's attempt at one unit; `status` is an {@link AgentStatus}. */
export interface AgentsTable {
  id: Immutable<string>
  unit_id: Immutable<string>
  worker_id: Immutable<string>
  task_run_id: Immutable<string>
  assignment_id: Immutable<string>
  status: AgentStatus
  registration_id: string | null
  init_data: JsonText
  created_at: Immutable<number>
  updated_at: number
  /** When the unit is taken back unless handed in (epoch ms; migration 0007); NULL if none. */
  deadline_at: number | null
}

/** `onboarding_agents`: a worker taking a run's onboarding; `outputs` is NULL until submitted. */
export interface OnboardingAgentsTable {
  id: Immutable<string>
  worker_id: Immutable<string>
  task_run_id: Immutable<string>
  status: AgentStatus
  registration_id: string | null
  init_data: JsonText
  outputs: JsonText | null
  created_at: Immutable<number>
  updated_at: number
}

/** `agent_status_history`: every status an agent of either kind took, in order. */
export interface AgentStatusHistoryTable {
  id: Generated<number>
  agent_id: string | null
  onboarding_agent_id: string | null
  status: AgentStatus
  at: number
}

/** `qualifications`: a named qualification that can be granted to workers. */
export interface QualificationsTable {
  id: Immutable<string>
  name: Immutable<string>
  created_at: Immutable<number>
}

/** `granted_qualifications`: at most one grant per (qualification, worker). */
export interface GrantedQualificationsTable {
  qualification_id: Immutable<string>
  worker_id: Immutable<string>
  value: number
  granted_at: number
}

/** `submissions`: an agent's final data; `agent_id` is unique, so a unit is stored once. */
export interface SubmissionsTable {
  id: Immutable<string>
  agent_id: Immutable<string>
  data: JsonText
  submitted_at: Immutable<number>
  /** The client's idempotency key, if it sent one (migration 0006). */
  submission_key: ColumnType<string | null, string | null | undefined, never>
}

/** `submission_files`: an uploaded file copied into the data folder, attached to a submission. */
export interface SubmissionFilesTable {
  id: Immutable<string>
  submission_id: Immutable<string>
  field_name: string
  original_name: string
  stored_path: string
  mimetype: string
  size_bytes: number
  created_at: Immutable<number>
}

/** `metadata`: `submit_metadata` payloads, for either kind of agent. */
export interface MetadataTable {
  id: Generated<number>
  agent_id: string | null
  onboarding_agent_id: string | null
  data: JsonText
  at: number
}

/** `error_logs`: `log_error` payloads; both agent columns are NULL for errors with no agent. */
export interface ErrorLogsTable {
  id: Generated<number>
  agent_id: string | null
  onboarding_agent_id: string | null
  data: JsonText
  at: number
}

/** `remote_procedure_calls`: a page's call to a backend procedure and its answer (NULL until answered). */
export interface RemoteProcedureCallsTable {
  id: Generated<number>
  task_run_id: Immutable<string>
  agent_id: Immutable<string | null>
  onboarding_agent_id: Immutable<string | null>
  request_id: Immutable<string>
  target: Immutable<string>
  args_json: Immutable<string>
  response_json: string | null
  error_message: string | null
  requested_at: Immutable<number>
  answered_at: number | null
}

/** `live_updates`: a concurrent task's live updates to and from an agent (migration 0004). */
export interface LiveUpdatesTable {
  id: Generated<number>
  agent_id: Immutable<string>
  direction: 'to_agent' | 'from_agent'
  update_id: string | null
  data: JsonText
  at: Immutable<number>
}

/** `provider_listings`: a run's listing on a crowd platform (migration 0008); `listing_id` is NULL until published. */
export interface ProviderListingsTable {
  task_run_id: Immutable<string>
  provider_type: Immutable<string>
  sandbox: Immutable<number>
  listing_id: string | null
  state: 'publishing' | 'open' | 'closed'
  /** JSON: the platform's own ids (ListingRecord.details). */
  details: string
  completion_code: Immutable<string>
  created_at: Immutable<number>
  updated_at: number
}

/** `provider_attempts`: a worker's attempt on the platform, linked to its agent once registered. */
export interface ProviderAttemptsTable {
  provider_type: Immutable<string>
  attempt_id: Immutable<string>
  agent_id: string | null
  task_run_id: Immutable<string>
  provider_worker_id: Immutable<string>
  place_id: Immutable<string>
  /** An AttemptStatus, as last seen by reconciliation; NULL until then. */
  status: string | null
  provider_status: string | null
  checked_at: number | null
}

/** What `provider_actions.kind` holds. */
export type ProviderActionKind =
  'approve' | 'reject' | 'soft_reject' | 'bonus' | 'block' | 'unblock' | 'qualify'

/** `provider_actions`: calls that move money or standing, written 'pending' before the call. */
export interface ProviderActionsTable {
  id: Immutable<string>
  action_key: Immutable<string>
  task_run_id: Immutable<string>
  agent_id: Immutable<string | null>
  kind: Immutable<ProviderActionKind>
  amount_cents: Immutable<number | null>
  reason: Immutable<string | null>
  state: 'pending' | 'done' | 'failed'
  error: string | null
  created_at: Immutable<number>
  updated_at: number
}

/** `reconcile_events`: what reconciliation found and did (its audit log). */
export interface ReconcileEventsTable {
  id: Immutable<string>
  task_run_id: Immutable<string>
  at: Immutable<number>
  kind: Immutable<string>
  agent_id: Immutable<string | null>
  attempt_id: Immutable<string | null>
  detail: Immutable<string>
  dry_run: Immutable<number>
  applied: Immutable<number>
}

/** `completion_codes`: one random code per task and platform, kept once made. */
export interface CompletionCodesTable {
  task_name: Immutable<string>
  provider_type: Immutable<string>
  code: Immutable<string>
  created_at: Immutable<number>
}

/** Who asked for an audited action. */
export type AuditActor = 'cli' | 'console' | 'run'

/** How an audited action ended: `already_done` is a repeat that changed nothing. */
export type AuditOutcome = 'done' | 'already_done' | 'failed'

/** `audit_log`: what an operator did (migration 0009); `id` orders it. */
export interface AuditLogTable {
  id: Generated<number>
  at: Immutable<number>
  actor: Immutable<AuditActor>
  action: Immutable<string>
  task_name: Immutable<string | null>
  task_run_id: Immutable<string | null>
  target: Immutable<string | null>
  /** JSON object: the action's arguments (reason, amount, setting, …). */
  detail: Immutable<string>
  outcome: Immutable<AuditOutcome>
  error: Immutable<string | null>
}

/** What `agent_events.kind` holds: the router's view of an agent's connection. */
export type AgentEventKind = 'connected' | 'disconnected' | 'heartbeat_gap' | 'rtt'

/** `agent_events`: an agent's connection as the router saw it (migration 0011); `id` orders it. */
export interface AgentEventsTable {
  id: Generated<number>
  task_run_id: Immutable<string>
  /** The wire id: onboarding agents carry their `onboarding_` prefix. */
  agent_id: Immutable<string>
  at: Immutable<number>
  kind: Immutable<AgentEventKind>
  /** JSON object: the gap, the round-trip time, the reason of a disconnect. */
  detail: Immutable<string>
}

/** The Kysely schema of the Faust database. */
export interface Database {
  tasks: TasksTable
  task_runs: TaskRunsTable
  assignments: AssignmentsTable
  units: UnitsTable
  workers: WorkersTable
  agents: AgentsTable
  onboarding_agents: OnboardingAgentsTable
  agent_status_history: AgentStatusHistoryTable
  qualifications: QualificationsTable
  granted_qualifications: GrantedQualificationsTable
  submissions: SubmissionsTable
  submission_files: SubmissionFilesTable
  metadata: MetadataTable
  error_logs: ErrorLogsTable
  remote_procedure_calls: RemoteProcedureCallsTable
  live_updates: LiveUpdatesTable
  provider_listings: ProviderListingsTable
  provider_attempts: ProviderAttemptsTable
  provider_actions: ProviderActionsTable
  reconcile_events: ReconcileEventsTable
  completion_codes: CompletionCodesTable
  audit_log: AuditLogTable
  agent_events: AgentEventsTable
}
