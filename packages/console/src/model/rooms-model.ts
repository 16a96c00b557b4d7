import { AgentStatus } from '@faust/protocol'
import type { Store } from '@faust/backend/store'
import { ACTIVE_AGENT_STATUSES } from './agent-statuses.js'

/** `GET /api/runs/:runId/rooms`: who waits for partners, and who works together. */
export interface RoomsView {
  readonly waiting: readonly { agentId: string; workerName: string; since: number }[]
  readonly assignments: readonly {
    assignmentId: string
    members: readonly { agentId: string; workerName: string; status: string }[]
  }[]
}

/**
 * The run's waiting room (agents in `waiting`, longest first) and its live
 * assignments of several units (someone past the waiting room): each with
 * the agents on it now.
 */
export async function readRooms(store: Store, taskRunId: string): Promise<RoomsView> {
  const active = await store.db
    .selectFrom('agents')
    .innerJoin('workers', 'workers.id', 'agents.worker_id')
    .innerJoin('assignments', 'assignments.id', 'agents.assignment_id')
    .select([
      'agents.id as agentId',
      'workers.worker_name as workerName',
      'agents.status',
      'agents.updated_at as updatedAt',
      'agents.assignment_id as assignmentId',
    ])
    .where('agents.task_run_id', '=', taskRunId)
    .where('agents.status', 'in', ACTIVE_AGENT_STATUSES)
    .orderBy('agents.created_at')
    .execute()
  const sizes = await store.db
    .selectFrom('units')
    .select((eb) => ['assignment_id', eb.fn.countAll<number>().as('count')])
    .where('task_run_id', '=', taskRunId)
    .groupBy('assignment_id')
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute()
  const shared = new Set(sizes.map((row) => row.assignment_id))
  const waiting = active
    .filter((agent) => agent.status === AgentStatus.WAITING)
    .map(({ agentId, workerName, updatedAt }) => ({ agentId, workerName, since: updatedAt }))
    .sort((a, b) => a.since - b.since)
  const byAssignment = new Map<string, { agentId: string; workerName: string; status: string }[]>()
  for (const agent of active) {
    if (!shared.has(agent.assignmentId)) continue
    const members = byAssignment.get(agent.assignmentId) ?? []
    members.push({ agentId: agent.agentId, workerName: agent.workerName, status: agent.status })
    byAssignment.set(agent.assignmentId, members)
  }
  // Live: someone is past the waiting room (an assignment still filling is the waiting room's).
  const live = [...byAssignment].filter(([, members]) =>
    members.some((member) => member.status !== AgentStatus.WAITING),
  )
  return {
    waiting,
    assignments: live.map(([assignmentId, members]) => ({ assignmentId, members })),
  }
}
