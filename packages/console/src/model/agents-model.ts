import type { Store } from '@faust/backend/store'
import { ONBOARDING_ID_PREFIX, parseSubjectId } from '@faust/backend/store'

/** One row of `GET /api/runs/:runId/agents`: an agent and what the console knows of it. */
export interface AgentView {
  /** The wire id: onboarding agents carry their `onboarding_` prefix. */
  readonly agentId: string
  readonly kind: 'unit' | 'onboarding'
  readonly taskRunId: string
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
  /** From the router's events; null when none were recorded (another process, or none yet). */
  readonly connected: boolean | null
}

interface AgentBase {
  readonly agentId: string
  readonly kind: 'unit' | 'onboarding'
  readonly taskRunId: string
  readonly workerId: string
  readonly workerName: string
  readonly unitId: string | null
  readonly assignmentId: string | null
  readonly status: string
  readonly createdAt: number
  readonly updatedAt: number
}

/** The run's agents of both kinds, oldest first, with their counts and connection. */
export async function listAgents(store: Store, taskRunId: string): Promise<AgentView[]> {
  const agents = await agentBases(store, { taskRunId })
  return withCounts(store, taskRunId, agents)
}

/** One agent by its wire id, or null. */
export async function findAgent(store: Store, agentId: string): Promise<AgentView | null> {
  const [agent] = await agentBases(store, { agentId })
  if (agent === undefined) return null
  const [view] = await withCounts(store, agent.taskRunId, [agent])
  return view ?? null
}

async function agentBases(
  store: Store,
  where: { readonly taskRunId: string } | { readonly agentId: string },
): Promise<AgentBase[]> {
  const ref = 'agentId' in where ? parseSubjectId(where.agentId) : null
  let units = store.db
    .selectFrom('agents')
    .innerJoin('workers', 'workers.id', 'agents.worker_id')
    .select([
      'agents.id',
      'agents.task_run_id',
      'agents.worker_id',
      'workers.worker_name',
      'agents.unit_id',
      'agents.assignment_id',
      'agents.status',
      'agents.created_at',
      'agents.updated_at',
    ])
  let onboarding = store.db
    .selectFrom('onboarding_agents')
    .innerJoin('workers', 'workers.id', 'onboarding_agents.worker_id')
    .select([
      'onboarding_agents.id',
      'onboarding_agents.task_run_id',
      'onboarding_agents.worker_id',
      'workers.worker_name',
      'onboarding_agents.status',
      'onboarding_agents.created_at',
      'onboarding_agents.updated_at',
    ])
  if (ref === null && 'taskRunId' in where) {
    units = units.where('agents.task_run_id', '=', where.taskRunId)
    onboarding = onboarding.where('onboarding_agents.task_run_id', '=', where.taskRunId)
  } else if (ref !== null) {
    units = units.where('agents.id', '=', ref.kind === 'agent' ? ref.id : '')
    onboarding = onboarding.where(
      'onboarding_agents.id',
      '=',
      ref.kind === 'onboarding' ? ref.id : '',
    )
  }
  const rows: AgentBase[] = [
    ...(await units.execute()).map((row) => ({
      agentId: row.id,
      kind: 'unit' as const,
      taskRunId: row.task_run_id,
      workerId: row.worker_id,
      workerName: row.worker_name,
      unitId: row.unit_id,
      assignmentId: row.assignment_id,
      status: row.status,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    })),
    ...(await onboarding.execute()).map((row) => ({
      agentId: `${ONBOARDING_ID_PREFIX}${row.id}`,
      kind: 'onboarding' as const,
      taskRunId: row.task_run_id,
      workerId: row.worker_id,
      workerName: row.worker_name,
      unitId: null,
      assignmentId: null,
      status: row.status,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    })),
  ]
  return rows.sort((a, b) => a.createdAt - b.createdAt)
}

async function withCounts(
  store: Store,
  taskRunId: string,
  agents: readonly AgentBase[],
): Promise<AgentView[]> {
  const counts = await countsOf(store, taskRunId)
  const connection = await connectionOf(store, taskRunId)
  return agents.map((agent) => ({
    ...agent,
    liveUpdates: counts.live.get(agent.agentId) ?? 0,
    errors: counts.errors.get(agent.agentId) ?? 0,
    lastRttMs: connection.rtt.get(agent.agentId) ?? null,
    connected: connection.connected.get(agent.agentId) ?? null,
  }))
}

/** Live updates and error reports per agent of the run (wire ids). */
async function countsOf(
  store: Store,
  taskRunId: string,
): Promise<{ live: Map<string, number>; errors: Map<string, number> }> {
  const live = await store.db
    .selectFrom('live_updates')
    .innerJoin('agents', 'agents.id', 'live_updates.agent_id')
    .select((eb) => ['live_updates.agent_id as agentId', eb.fn.countAll<number>().as('count')])
    .where('agents.task_run_id', '=', taskRunId)
    .groupBy('live_updates.agent_id')
    .execute()
  const unitErrors = await store.db
    .selectFrom('error_logs')
    .innerJoin('agents', 'agents.id', 'error_logs.agent_id')
    .select((eb) => ['error_logs.agent_id as agentId', eb.fn.countAll<number>().as('count')])
    .where('agents.task_run_id', '=', taskRunId)
    .groupBy('error_logs.agent_id')
    .execute()
  const onboardingErrors = await store.db
    .selectFrom('error_logs')
    .innerJoin('onboarding_agents', 'onboarding_agents.id', 'error_logs.onboarding_agent_id')
    .select((eb) => [
      'error_logs.onboarding_agent_id as agentId',
      eb.fn.countAll<number>().as('count'),
    ])
    .where('onboarding_agents.task_run_id', '=', taskRunId)
    .groupBy('error_logs.onboarding_agent_id')
    .execute()
  const errors = new Map(unitErrors.map((row) => [row.agentId ?? '', row.count]))
  for (const row of onboardingErrors)
    errors.set(`${ONBOARDING_ID_PREFIX}${row.agentId ?? ''}`, row.count)
  return { live: new Map(live.map((row) => [row.agentId, row.count])), errors }
}

/** Each agent's last round-trip time and whether its last connection event was a connect. */
async function connectionOf(
  store: Store,
  taskRunId: string,
): Promise<{ rtt: Map<string, number>; connected: Map<string, boolean> }> {
  const last = await store.db
    .selectFrom('agent_events')
    .select(['agent_id', 'kind', 'detail'])
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('agent_events')
        .select((inner) => inner.fn.max('id').as('id'))
        .where('task_run_id', '=', taskRunId)
        .where('kind', 'in', ['rtt', 'connected', 'disconnected'])
        .groupBy([
          'agent_id',
          (inner) => inner.case().when('kind', '=', 'rtt').then(1).else(0).end(),
        ]),
    )
    .execute()
  const rtt = new Map<string, number>()
  const connected = new Map<string, boolean>()
  for (const row of last) {
    if (row.kind === 'rtt') {
      const detail = JSON.parse(row.detail) as { rttMs?: unknown }
      if (typeof detail.rttMs === 'number') rtt.set(row.agent_id, detail.rttMs)
    } else connected.set(row.agent_id, row.kind === 'connected')
  }
  return { rtt, connected }
}
