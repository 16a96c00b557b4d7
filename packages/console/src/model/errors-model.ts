import type { Store } from '@faust/backend/store'
import { ONBOARDING_ID_PREFIX } from '@faust/backend/store'

/** One row of `GET /api/runs/:runId/errors`. */
export interface ErrorView {
  readonly at: number
  readonly agentId: string | null
  readonly data: unknown
}

/** Reports shown at most; the newest are kept. */
const MAX_ERRORS = 1000

/**
 * The error reports of the run's agents, oldest first (newest 1000). Reports
 * with no agent name no run, so they are not here (docs/console.md).
 */
export async function listErrors(store: Store, taskRunId: string): Promise<ErrorView[]> {
  const rows = await store.db
    .selectFrom('error_logs')
    .leftJoin('agents', 'agents.id', 'error_logs.agent_id')
    .leftJoin('onboarding_agents', 'onboarding_agents.id', 'error_logs.onboarding_agent_id')
    .select([
      'error_logs.id',
      'error_logs.agent_id',
      'error_logs.onboarding_agent_id',
      'error_logs.data',
      'error_logs.at',
    ])
    .where((eb) =>
      eb.or([
        eb('agents.task_run_id', '=', taskRunId),
        eb('onboarding_agents.task_run_id', '=', taskRunId),
      ]),
    )
    .orderBy('error_logs.id', 'desc')
    .limit(MAX_ERRORS)
    .execute()
  return rows.reverse().map((row) => ({
    at: row.at,
    agentId:
      row.agent_id ??
      (row.onboarding_agent_id === null
        ? null
        : `${ONBOARDING_ID_PREFIX}${row.onboarding_agent_id}`),
    data: JSON.parse(row.data) as unknown,
  }))
}
