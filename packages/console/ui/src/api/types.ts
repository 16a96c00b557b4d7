// The console's HTTP API as the UI reads it (docs/console.md; the server in
// ../../src/server answers it). Times are ms since the epoch.
import type { ReviewLiveUpdate, ReviewUnit } from '@faust/react/review'

export interface Session {
  readonly csrf: string
  readonly dataDir: string
  readonly live: boolean
  readonly version: string
}

/** A run's live-changeable settings (`faust run-config`); unknown keys are shown as they are. */
export interface RunSettings {
  readonly maxConcurrentUnits?: number | null
  readonly maximumUnitsPerWorker?: number | null
  readonly allowedConcurrent?: number | null
  readonly assignmentDurationSeconds?: number | null
  readonly [key: string]: unknown
}

export interface RunProgressCounts {
  readonly total: number
  readonly waiting: number
  readonly launched: number
  readonly inProgress: number
  readonly completed: number
  readonly expired: number
  readonly activeWorkers: number
}

export interface RunRow {
  readonly runId: string
  readonly taskName: string
  readonly taskType: string
  readonly providerType: string
  readonly createdAt: number
  readonly endedAt: number | null
  readonly live: boolean
  readonly launching: 'open' | 'paused'
  readonly settings: RunSettings
  readonly progress: RunProgressCounts
}

export interface ProgressPoint {
  readonly at: number
  readonly waiting: number
  readonly launched: number
  readonly inProgress: number
  readonly completed: number
  readonly expired: number
}

export interface RunProgress {
  readonly series: readonly ProgressPoint[]
  readonly throughputPerHour: number
  readonly etaMs: number | null
}

export interface AgentRow {
  readonly agentId: string
  readonly kind: 'unit' | 'onboarding'
  readonly workerId: string
  readonly workerName: string
  readonly unitId: string | null
  readonly assignmentId: string | null
  readonly status: string
  readonly createdAt: number
  readonly updatedAt: number
  readonly liveUpdates: number
  readonly errors: number
  readonly lastRttMs: number | null
  readonly connected: boolean | null
}

export type AgentEventKind =
  | 'registered'
  | 'status'
  | 'connected'
  | 'disconnected'
  | 'heartbeat_gap'
  | 'rtt'
  | 'live_update'
  | 'error'
  | 'submitted'
  | 'reviewed'

export interface AgentEvent {
  readonly at: number
  readonly kind: AgentEventKind
  readonly detail: Readonly<Record<string, unknown>>
}

export interface AgentTimeline {
  readonly agent: AgentRow
  readonly events: readonly AgentEvent[]
}

export interface Rooms {
  readonly waiting: readonly { agentId: string; workerName: string; since: number }[]
  readonly assignments: readonly {
    assignmentId: string
    members: readonly { agentId: string; workerName: string; status: string }[]
  }[]
}

export interface ErrorEntry {
  readonly at: number
  readonly agentId: string | null
  readonly data: unknown
}

export interface SubmittedFile {
  readonly id: string
  readonly name: string
  readonly size: number
  readonly mimetype: string
  readonly url: string
}

export interface ReviewItem {
  readonly unitId: string
  readonly agentId: string
  readonly workerId: string
  readonly workerName: string
  readonly taskName: string
  readonly submittedAt: number
  /** The data item the page was given. */
  readonly item: unknown
  readonly data: unknown
  readonly files: readonly SubmittedFile[]
  /** A live task's updates both ways, oldest first; empty otherwise. */
  readonly liveUpdates: readonly LiveUpdate[]
  readonly reviewStatus: ReviewUnit['reviewStatus']
  readonly reviewReason: string | null
  readonly bonusCents: number
  readonly providerStatus: string | null
}

/** One live update: the shape a task's own review view is given too. */
export type LiveUpdate = ReviewLiveUpdate

export type ReviewStatusFilter = 'pending' | 'approved' | 'rejected' | 'soft_rejected' | 'all'

export interface AuditEntry {
  readonly id: number
  readonly at: number
  readonly actor: string
  readonly action: string
  readonly taskName: string | null
  readonly taskRunId: string | null
  readonly target: string | null
  readonly detail: unknown
  readonly outcome: 'done' | 'already_done' | 'failed'
  readonly error: string | null
}

export type ReviewAction =
  | { readonly kind: 'approve'; readonly target: string }
  | { readonly kind: 'reject'; readonly target: string; readonly reason: string }
  | { readonly kind: 'soft_reject'; readonly target: string; readonly reason?: string }
  | {
      readonly kind: 'bonus'
      readonly target: string
      readonly amountCents: number
      readonly reason: string
    }

export interface ReviewOutcome {
  readonly unitId: string
  readonly agentId: string
  readonly kind: string
  readonly result: 'done' | 'already_done' | 'failed'
  readonly error?: string
}

export interface WorkerActionResult {
  readonly result: 'done' | 'already_done' | 'failed'
  readonly error?: string
  readonly platform?: 'mirrored' | 'not_mirrored' | 'none'
}

export type RunSetting =
  'maxConcurrentUnits' | 'maximumUnitsPerWorker' | 'allowedConcurrent' | 'assignmentDurationSeconds'

export type RunChange =
  | { readonly kind: 'pause' }
  | { readonly kind: 'resume' }
  | { readonly kind: 'set'; readonly setting: RunSetting; readonly value: number }
  | { readonly kind: 'add_items'; readonly items: readonly unknown[] }
  | { readonly kind: 'expire_units'; readonly units: readonly string[] | 'unassigned' }
  | { readonly kind: 'end' }

export interface RunChangeResult {
  readonly applied: 'live' | 'stored'
  readonly settings: RunSettings
  readonly detail?: Readonly<Record<string, unknown>>
}

/** The `changed` server-sent event: which runs moved, and the audit log's last id. */
export interface ChangedEvent {
  readonly runs: readonly string[]
  readonly audit: number | null
}
