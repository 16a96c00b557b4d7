import { AgentStatus, FINAL_AGENT_STATUSES } from '@faust/protocol'
import type { Store } from '../store/store.js'
import type { BackendLogger } from '../util/logger.js'

/** The agent statuses an onboarding agent still taking its onboarding (or waiting on its verdict) has. */
export const ONBOARDING_IN_PROGRESS: readonly AgentStatus[] = [
  AgentStatus.ONBOARDING,
  AgentStatus.WAITING,
]

/**
 * Ends a run nobody serves any more (`--new-run` over an unfinished run
 * whose process died), as its own `stop()` would have: every agent not yet
 * final and every onboarding in progress is `expired`, every unfinished unit
 * expired, the run marked ended. Straight in the store: no page is connected
 * to be told.
 */
export async function endAbandonedRun(
  store: Store,
  runId: string,
  logger: BackendLogger,
): Promise<void> {
  const { expiredUnits, expiredAgents } = await expireRunInStore(store, runId)
  logger.warn(
    { taskRunId: runId, expiredUnits, expiredAgents },
    'a new run was asked for: the unfinished run is ended, its unfinished units expired',
  )
}

/**
 * Ends a run in the store alone, as its own `stop()` would: also what
 * `faust run-config --end` does to a run no process serves. Returns how many
 * units and agents it expired.
 */
export async function expireRunInStore(
  store: Store,
  runId: string,
): Promise<{ expiredUnits: number; expiredAgents: number }> {
  // Units first: an agent expired while holding its unit expires the unit
  // as well, and the count logged would miss it.
  const units = (await store.units.list({ taskRunId: runId })).map((unit) => unit.id)
  const expired = await store.units.expire(units)
  let agents = 0
  for (const agent of await store.agents.listForRun(runId)) {
    if (FINAL_AGENT_STATUSES.has(agent.status)) continue
    await store.agents.setStatus(agent.id, AgentStatus.EXPIRED)
    agents += 1
  }
  for (const onboarding of await store.onboardingAgents.listForRun(runId, ONBOARDING_IN_PROGRESS))
    await store.onboardingAgents.setStatus(onboarding.id, AgentStatus.EXPIRED)
  await store.taskRuns.end(runId)
  return { expiredUnits: expired, expiredAgents: agents }
}
