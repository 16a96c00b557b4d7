import type { Store } from '@faust/backend/store'
import { parseSubjectId } from '@faust/backend/store'
import { findAgent, type AgentView } from './agents-model.js'

/** What happened to an agent, as its timeline shows it. */
export type TimelineEventKind =
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

/** One event of `GET /api/agents/:agentId/timeline`. */
export interface TimelineEvent {
  readonly at: number
  readonly kind: TimelineEventKind
  readonly detail: Readonly<Record<string, unknown>>
}

/** `GET /api/agents/:agentId/timeline`. */
export interface TimelineView {
  readonly agent: AgentView
  readonly events: readonly TimelineEvent[]
}

/** Live updates shown per agent; a long conversation keeps its newest ones. */
const MAX_LIVE_UPDATES = 500

/**
 * An agent's timeline: registration, every stored status, the router's
 * connection events, live updates, errors, the submission and each review
 * or bonus, merged in time order (ties keep that order).
 */
export async function readTimeline(store: Store, agentId: string): Promise<TimelineView | null> {
  const agent = await findAgent(store, agentId)
  if (agent === null) return null
  const ref = parseSubjectId(agentId)
  const column = ref.kind === 'agent' ? 'agent_id' : 'onboarding_agent_id'
  const events: TimelineEvent[] = [
    { at: agent.createdAt, kind: 'registered', detail: { workerName: agent.workerName } },
  ]
  const history = await store.db
    .selectFrom('agent_status_history')
    .select(['status', 'at'])
    .where(column, '=', ref.id)
    .orderBy('id')
    .execute()
  for (const entry of history)
    events.push({ at: entry.at, kind: 'status', detail: { status: entry.status } })
  for (const event of await store.agentEvents.list(agentId))
    events.push({ at: event.at, kind: event.kind, detail: event.detail })
  const errors = await store.logs.listErrorLogs(ref)
  for (const error of errors)
    events.push({ at: error.at, kind: 'error', detail: { data: error.data } })
  if (ref.kind === 'agent') events.push(...(await unitEvents(store, ref.id)))
  return { agent, events: events.sort((a, b) => a.at - b.at) }
}

async function unitEvents(store: Store, agentId: string): Promise<TimelineEvent[]> {
  const events: TimelineEvent[] = []
  const live = await store.liveUpdates.list(agentId)
  for (const update of live.slice(-MAX_LIVE_UPDATES))
    events.push({
      at: update.at,
      kind: 'live_update',
      detail: { direction: update.direction, data: update.data },
    })
  const submission = await store.submissions.get(agentId)
  if (submission !== null)
    events.push({
      at: submission.submittedAt,
      kind: 'submitted',
      detail: { files: submission.files.length },
    })
  const reviews = await store.db
    .selectFrom('provider_actions')
    .select(['kind', 'amount_cents', 'reason', 'state', 'error', 'updated_at'])
    .where('agent_id', '=', agentId)
    .where('kind', 'in', ['approve', 'reject', 'soft_reject', 'bonus'])
    .orderBy('created_at')
    .execute()
  for (const review of reviews)
    events.push({
      at: review.updated_at,
      kind: 'reviewed',
      detail: {
        action: review.kind,
        state: review.state,
        amountCents: review.amount_cents,
        reason: review.reason,
        error: review.error,
      },
    })
  return events
}
