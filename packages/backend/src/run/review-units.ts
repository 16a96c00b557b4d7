import { createHash } from 'node:crypto'
import { AgentStatus, type Clock } from '@faust/protocol'
import type { ProviderIdentity, ProviderPlatform } from '../providers/provider-platform.js'
import type { AuditActor } from '../store/audit-repository.js'
import type { ProviderActionKind } from '../store/provider-records-repository.js'
import type { Store } from '../store/store.js'
import { UnitStatus } from '../store/unit-status.js'
import { silentLogger, type BackendLogger } from '../util/logger.js'
import { rejectionReasonColumn, sendRecordedAction } from './provider-actions.js'

/** What to do to a task's units. */
export type ReviewAction =
  /** A unit id, or every completed unit not reviewed yet. */
  | { readonly kind: 'approve'; readonly target: string }
  | {
      readonly kind: 'reject'
      readonly target: string
      readonly reason: string
      /** Prolific's rejection category (e.g. `FAILED_INSTRUCTIONS`); ignored elsewhere. */
      readonly category?: string | undefined
    }
  /** The worker is paid (approved on the platform) but Faust marks the work soft_rejected. */
  | { readonly kind: 'soft_reject'; readonly target: string; readonly reason?: string | undefined }
  | {
      readonly kind: 'bonus'
      readonly target: string
      readonly amountCents: number
      readonly reason: string
    }

/** The `target` of an approval meaning every completed unit not yet reviewed. */
export const ALL_PENDING = 'all-pending'

/** What happened to one unit. */
export interface ReviewOutcome {
  readonly unitId: string
  /** Empty when the unit has no agent (never worked on, or unknown). */
  readonly agentId: string
  readonly kind: ReviewAction['kind']
  /** `already_done`: the same action was done before; nothing was sent again. */
  readonly result: 'done' | 'already_done' | 'failed'
  /** A stable code when `failed` (a ProviderError code, or one of {@link ReviewRefusal}). */
  readonly error?: string
}

/** Why a review was refused before anything was sent. */
export type ReviewRefusal =
  | 'UNIT_NOT_FOUND'
  | 'UNIT_NOT_REVIEWABLE'
  | 'ALREADY_REVIEWED'
  | 'ATTEMPT_UNKNOWN'
  | 'AMOUNT_INVALID'

/** What {@link reviewUnits} needs. */
export interface ReviewInput {
  readonly store: Store
  /** `null` for the mock provider: only Faust's records change. */
  readonly platform: ProviderPlatform | null
  readonly taskName: string
  readonly action: ReviewAction
  readonly clock?: Clock | undefined
  readonly logger?: BackendLogger | undefined
  /** Who asked, for the audit log (docs/console.md, "The audit log"). @default 'cli' */
  readonly actor?: AuditActor | undefined
}

const DECISIONS: ReadonlySet<ProviderActionKind> = new Set(['approve', 'reject', 'soft_reject'])

const DECISION_STATUS: Readonly<Record<string, AgentStatus>> = {
  approve: AgentStatus.APPROVED,
  reject: AgentStatus.REJECTED,
  soft_reject: AgentStatus.SOFT_REJECTED,
}

// Work handed in and not yet decided on; bonuses also go to decided work.
const BONUSABLE: ReadonlySet<string> = new Set([
  UnitStatus.COMPLETED,
  UnitStatus.ACCEPTED,
  UnitStatus.SOFT_REJECTED,
  UnitStatus.REJECTED,
])

/**
 * Approves, rejects, soft-rejects or pays a bonus for a task's units
 * (docs/providers.md, "Paying and reviewing"). Each action is written
 * `pending` under its key before the platform is called and `done` after, so
 * repeating a command (or retrying after a crash) never pays twice: a done
 * action answers `already_done`, a pending one is sent again with the same
 * key. An approval, rejection and soft rejection exclude one another.
 * Every unit's outcome, failures included, is one `review.<kind>` entry of
 * the audit log.
 */
export async function reviewUnits(input: ReviewInput): Promise<readonly ReviewOutcome[]> {
  const units = await targetUnits(input)
  const outcomes: ReviewOutcome[] = []
  for (const unit of units) {
    const outcome = await reviewUnit(input, unit)
    await auditOutcome(input, unit, outcome)
    outcomes.push(outcome)
  }
  return outcomes
}

/** The audit entry of one unit's outcome: who, what, the reason and amount, and what came of it. */
async function auditOutcome(
  input: ReviewInput,
  unit: TargetUnit,
  outcome: ReviewOutcome,
): Promise<void> {
  const { action } = input
  await input.store.audit.record({
    actor: input.actor ?? 'cli',
    action: `review.${action.kind}`,
    taskName: input.taskName,
    taskRunId: unit.taskRunId === '' ? null : unit.taskRunId,
    target: outcome.unitId,
    detail: {
      agentId: outcome.agentId === '' ? null : outcome.agentId,
      reason: action.kind === 'approve' ? null : (action.reason ?? null),
      category: action.kind === 'reject' ? (action.category ?? null) : null,
      amountCents: action.kind === 'bonus' ? action.amountCents : null,
      result: outcome.result,
      error: outcome.error ?? null,
    },
    outcome: outcome.result,
    error: outcome.error ?? null,
  })
}

interface TargetUnit {
  readonly unitId: string
  readonly agentId: string | null
  readonly taskRunId: string
  readonly status: string
}

async function targetUnits(input: ReviewInput): Promise<TargetUnit[]> {
  const { store, taskName, action } = input
  let query = store.db
    .selectFrom('units')
    .innerJoin('task_runs', 'task_runs.id', 'units.task_run_id')
    .innerJoin('tasks', 'tasks.id', 'task_runs.task_id')
    .select([
      'units.id as unitId',
      'units.agent_id as agentId',
      'units.task_run_id as taskRunId',
      'units.status as status',
    ])
    .where('tasks.name', '=', taskName)
  if (action.kind === 'approve' && action.target === ALL_PENDING) {
    query = query
      .where('units.status', '=', UnitStatus.COMPLETED)
      .where('units.unit_index', '>=', 0)
  } else query = query.where('units.id', '=', action.target)
  const rows = await query.orderBy('units.created_at').execute()
  if (rows.length === 0 && action.target !== ALL_PENDING)
    return [{ unitId: action.target, agentId: null, taskRunId: '', status: 'unknown' }]
  return rows
}

async function reviewUnit(input: ReviewInput, unit: TargetUnit): Promise<ReviewOutcome> {
  const { store, action } = input
  const base = { unitId: unit.unitId, agentId: unit.agentId ?? '', kind: action.kind }
  const failed = (error: string): ReviewOutcome => ({ ...base, result: 'failed', error })
  if (unit.agentId === null) return failed('UNIT_NOT_FOUND')
  const agentId = unit.agentId
  const key = actionKey(action, agentId)
  const existing = await store.providerRecords.findAction(key)
  if (existing?.state === 'done') {
    // The status may be all that a crash after the call's answer left undone.
    await followDecision(store, agentId, action.kind)
    return { ...base, result: 'already_done' }
  }
  if (action.kind === 'bonus') {
    if (!Number.isInteger(action.amountCents) || action.amountCents <= 0)
      return failed('AMOUNT_INVALID')
    if (!BONUSABLE.has(unit.status)) return failed('UNIT_NOT_REVIEWABLE')
  } else {
    if (await decidedOtherwise(store, agentId, action.kind)) return failed('ALREADY_REVIEWED')
    if (unit.status !== UnitStatus.COMPLETED) return failed('UNIT_NOT_REVIEWABLE')
  }
  const row = await store.providerRecords.beginAction({
    key,
    taskRunId: unit.taskRunId,
    agentId,
    kind: action.kind,
    amountCents: action.kind === 'bonus' ? action.amountCents : null,
    reason: reasonColumn(action),
  })
  if (row.state === 'failed') await store.providerRecords.finishAction(key, { state: 'pending' })
  if (input.platform !== null) {
    const attempt = await store.providerRecords.findAttemptByAgent(agentId)
    if (attempt === null) {
      await store.providerRecords.finishAction(key, { state: 'failed', error: 'ATTEMPT_UNKNOWN' })
      return failed('ATTEMPT_UNKNOWN')
    }
    const identity = {
      workerId: attempt.providerWorkerId,
      attemptId: attempt.attemptId,
      placeId: attempt.placeId,
    }
    const sent = await sendRecordedAction({
      store,
      platform: input.platform,
      action: { ...row, state: 'pending' },
      attempt: identity,
    })
    if (!sent.ok) {
      ;(input.logger ?? silentLogger).warn(
        { unitId: unit.unitId, agentId, kind: action.kind, code: sent.code },
        sent.retryable ? 'review call failed; kept pending for a retry' : 'review call refused',
      )
      return failed(sent.code)
    }
    await refreshAttempt(input, identity)
  } else await store.providerRecords.finishAction(key, { state: 'done' })
  await followDecision(store, agentId, action.kind)
  return { ...base, result: 'done' }
}

/**
 * Reads the attempt back after an action, so `faust results` shows the
 * platform's new status (APPROVED, …) at once rather than after the next
 * reconciliation. Best effort: the action itself is done and recorded.
 */
async function refreshAttempt(input: ReviewInput, identity: ProviderIdentity): Promise<void> {
  const { store, platform } = input
  if (platform?.getAttempt === undefined) return
  try {
    const seen = await platform.getAttempt(identity)
    if (seen === null) return
    await store.providerRecords.updateAttemptStatus({
      providerType: platform.type,
      attemptId: seen.attemptId,
      status: seen.status,
      providerStatus: seen.providerStatus,
    })
  } catch (error) {
    ;(input.logger ?? silentLogger).warn(
      { attemptId: identity.attemptId, err: error },
      'could not read the attempt back after a review action; the next reconciliation will',
    )
  }
}

/** The agent (and so its unit) takes the decision's status, if it is still only completed. */
async function followDecision(store: Store, agentId: string, kind: string): Promise<void> {
  const status = DECISION_STATUS[kind]
  if (status === undefined) return
  const agent = await store.agents.get(agentId)
  if (agent?.status === AgentStatus.COMPLETED) await store.agents.setStatus(agentId, status)
}

/** A decision of another kind already taken (or on its way) for this agent. */
async function decidedOtherwise(
  store: Store,
  agentId: string,
  kind: ProviderActionKind,
): Promise<boolean> {
  const actions = await store.providerRecords.listActions({ agentIds: [agentId] })
  return actions.some(
    (other) => DECISIONS.has(other.kind) && other.kind !== kind && other.state !== 'failed',
  )
}

/**
 * The action's idempotency key (≤ 64 characters, MTurk's limit): one
 * decision per agent, and a bonus per agent, amount and reason, so the same
 * bonus command repeated pays once while a different bonus is a new one.
 */
export function actionKey(action: ReviewAction, agentId: string): string {
  if (action.kind !== 'bonus') return `${action.kind}:${agentId}`
  const digest = createHash('sha256')
    .update(`${String(action.amountCents)}|${action.reason}`)
    .digest('hex')
    .slice(0, 16)
  return `bonus:${agentId}:${digest}`
}

function reasonColumn(action: ReviewAction): string | null {
  switch (action.kind) {
    case 'approve':
      return null
    case 'reject':
      return rejectionReasonColumn(action.reason, action.category)
    case 'soft_reject':
      return action.reason ?? null
    case 'bonus':
      return action.reason
  }
}
