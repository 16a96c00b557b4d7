import type { AgentStatus } from '@faust/protocol'
import { sql } from 'kysely'
import { idChunks } from './id-chunks.js'
import { decodeJson } from './json-column.js'
import { listLiveUpdates, type LiveUpdateRecord } from './live-updates-repository.js'
import { listRemoteCalls, type RemoteCallRecord } from './remote-calls-repository.js'
import type { RepositoryContext } from './repository-context.js'
import { listSubmissionFiles } from './submissions-repository.js'
import type { SubmissionFileRecord } from './submissions-repository.js'
import type { UnitStatus } from './unit-status.js'

/** One submission with everything needed to interpret it, as `faust results` prints it. */
export interface SubmissionExport {
  readonly taskName: string
  readonly taskType: string
  readonly taskRunId: string
  readonly assignmentId: string
  readonly sharedData: unknown
  readonly unitId: string
  readonly unitIndex: number
  /** `unit` (the task's work), or a `screening` or `gold` unit (index -1 and -2). */
  readonly unitKind: UnitKind
  readonly unitData: unknown
  readonly pay: number
  readonly unitStatus: UnitStatus
  readonly agentId: string
  readonly agentStatus: AgentStatus
  readonly workerId: string
  readonly workerName: string
  readonly providerType: string
  readonly data: unknown
  readonly submittedAt: number
  readonly files: readonly SubmissionFileRecord[]
  /** The page's remote procedure calls with their answers, in arrival order. */
  readonly remoteCalls: readonly RemoteCallRecord[]
  /** The agent's live updates both ways, oldest first (a live task's conversation); empty for static tasks. */
  readonly liveUpdates: readonly Omit<LiveUpdateRecord, 'agentId'>[]
  /** The platform's own status of the attempt as reconciliation last saw it (raw), or null. */
  readonly providerStatus: string | null
  /**
   * The same, normalised: one of the AttemptStatus strings (providers/, a
   * layer above the store, so typed as a string here), or null.
   */
  readonly attemptStatus: string | null
  /** `accepted`, `rejected` or `soft_rejected` once reviewed; null before. */
  readonly reviewStatus: UnitStatus | null
  /** The reason given with a rejection or soft rejection, or null. */
  readonly reviewReason: string | null
  /** The bonuses paid (done) for this agent, in cents. */
  readonly bonusCents: number
}

const REVIEWED: ReadonlySet<string> = new Set(['accepted', 'rejected', 'soft_rejected'])

/** What a unit is for: the task's work, or testing the worker. */
export type UnitKind = 'unit' | 'screening' | 'gold'

function unitKind(unitIndex: number): UnitKind {
  if (unitIndex === -1) return 'screening'
  if (unitIndex === -2) return 'gold'
  return 'unit'
}

/** Which submissions to export. */
export interface ExportQuery {
  readonly taskName: string
  /** Only this run of the task. */
  readonly taskRunId?: string | undefined
  /** Only agents in these statuses (e.g. `completed` for work awaiting review). */
  readonly agentStatuses?: readonly AgentStatus[] | undefined
  /**
   * Also screening and gold submissions (tests of the worker, not results of
   * the task's data). @default false
   */
  readonly includeQualityControl?: boolean | undefined
}

/** Read-only reporting over a task's results. */
export class ResultsRepository {
  readonly #ctx: RepositoryContext

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx
  }

  /** A task's submissions in submission order, joined with worker, unit and assignment data. */
  async exportSubmissions(query: ExportQuery): Promise<SubmissionExport[]> {
    const { db } = this.#ctx
    let select = db
      .selectFrom('submissions')
      .innerJoin('agents', 'agents.id', 'submissions.agent_id')
      .innerJoin('units', 'units.id', 'agents.unit_id')
      .innerJoin('assignments', 'assignments.id', 'agents.assignment_id')
      .innerJoin('task_runs', 'task_runs.id', 'agents.task_run_id')
      .innerJoin('tasks', 'tasks.id', 'task_runs.task_id')
      .innerJoin('workers', 'workers.id', 'agents.worker_id')
      .leftJoin('provider_attempts', 'provider_attempts.agent_id', 'agents.id')
      .select([
        'provider_attempts.provider_status as providerStatus',
        'provider_attempts.status as attemptStatus',
        'submissions.id as submissionId',
        'tasks.name as taskName',
        'tasks.task_type as taskType',
        'task_runs.id as taskRunId',
        'assignments.id as assignmentId',
        'assignments.shared_data as sharedData',
        'units.id as unitId',
        'units.unit_index as unitIndex',
        'units.unit_data as unitData',
        'units.pay as pay',
        'units.status as unitStatus',
        'agents.id as agentId',
        'agents.status as agentStatus',
        'workers.id as workerId',
        'workers.worker_name as workerName',
        'workers.provider_type as providerType',
        'submissions.data as data',
        'submissions.submitted_at as submittedAt',
      ])
      .where('tasks.name', '=', query.taskName)
    if (query.taskRunId !== undefined) select = select.where('task_runs.id', '=', query.taskRunId)
    if (query.includeQualityControl !== true) select = select.where('units.unit_index', '>=', 0)
    if (query.agentStatuses !== undefined) {
      select = select.where('agents.status', 'in', query.agentStatuses)
    }
    const rows = await select
      .orderBy('submissions.submitted_at')
      .orderBy(sql`submissions.rowid`)
      .execute()
    const files = await listSubmissionFiles(
      db,
      rows.map((row) => row.submissionId),
    )
    const remoteCalls = await listRemoteCalls(
      db,
      rows.map((row) => row.agentId),
    )
    const reviews = await this.#reviews(rows.map((row) => row.agentId))
    const live = await listLiveUpdates(
      db,
      rows.filter((row) => row.taskType === 'concurrent').map((row) => row.agentId),
    )
    return rows.map(({ submissionId, sharedData, unitData, data, ...row }) => ({
      ...row,
      reviewStatus: REVIEWED.has(row.unitStatus) ? row.unitStatus : null,
      reviewReason: reviews.get(row.agentId)?.reason ?? null,
      bonusCents: reviews.get(row.agentId)?.bonusCents ?? 0,
      unitKind: unitKind(row.unitIndex),
      sharedData: decodeJson(sharedData),
      unitData: decodeJson(unitData),
      data: decodeJson(data),
      files: files.get(submissionId) ?? [],
      remoteCalls: remoteCalls.get(row.agentId) ?? [],
      liveUpdates: (live.get(row.agentId) ?? []).map(({ direction, data: update, at }) => ({
        direction,
        data: update,
        at,
      })),
    }))
  }

  /** Per agent: the bonuses paid and the reason of its (soft) rejection, from provider_actions. */
  async #reviews(
    agentIds: readonly string[],
  ): Promise<Map<string, { bonusCents: number; reason: string | null }>> {
    const reviews = new Map<string, { bonusCents: number; reason: string | null }>()
    for (const chunk of idChunks(agentIds)) {
      const actions = await this.#ctx.db
        .selectFrom('provider_actions')
        .select(['agent_id', 'kind', 'amount_cents', 'reason'])
        .where('agent_id', 'in', chunk)
        .where('state', '=', 'done')
        .where('kind', 'in', ['bonus', 'reject', 'soft_reject'])
        .execute()
      for (const action of actions) {
        if (action.agent_id === null) continue
        const review = reviews.get(action.agent_id) ?? { bonusCents: 0, reason: null }
        if (action.kind === 'bonus') review.bonusCents += action.amount_cents ?? 0
        // A rejection's reason column is `category|reason` (run/provider-actions.ts).
        else if (action.kind === 'reject')
          review.reason = action.reason?.slice(action.reason.indexOf('|') + 1) ?? null
        else review.reason = action.reason
        reviews.set(action.agent_id, review)
      }
    }
    return reviews
  }
}
