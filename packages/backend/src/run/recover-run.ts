import { AgentStatus, FINAL_AGENT_STATUSES } from '@faust/protocol'
import { setOnboardingStatus } from '../services/context/agent-statuses.js'
import type { RunContext } from '../services/context/run-context.js'
import type { TaskRunner } from '../services/runners/task-runner.js'
import { UnitStatus } from '../store/unit-status.js'
import { ONBOARDING_IN_PROGRESS } from './end-abandoned-run.js'

/** What resuming a run found and did (docs/backend.md, "Resuming a run"). */
export interface ResumeSummary {
  /** Agents who keep their unit until their stored deadline. */
  readonly kept: number
  /** Reservations released (past the deadline, live agents, units left held by an ended agent). */
  readonly released: number
  /** Onboarding agents expired (their workers register again). */
  readonly expiredOnboarding: number
}

/**
 * Brings a resumed run's reservations back in line before it connects, by
 * rule, logging one line per release:
 * - a unit still `assigned` to an agent that already ended (the process died
 *   between the agent's status and the unit's release) is released;
 * - each agent not yet final is the runner's: a static one keeps its unit
 *   until its stored deadline, a live one is ended (TaskRunner.resumeUnit);
 * - onboarding agents still onboarding are expired: their verdict cannot be
 *   resumed and the worker simply registers again.
 * `launched` and `created` units need nothing: they are offered as before,
 * and finished units are never offered again.
 */
export async function recoverRun(run: {
  readonly ctx: RunContext
  readonly runner: TaskRunner
}): Promise<ResumeSummary> {
  const { ctx, runner } = run
  const { store, logger, taskRunId } = ctx
  let released = await releaseOrphanedUnits(ctx)
  let kept = 0
  for (const agent of await store.agents.listForRun(taskRunId)) {
    if (FINAL_AGENT_STATUSES.has(agent.status)) continue
    if (await runner.resumeUnit(agent)) kept += 1
    else released += 1
  }
  let expiredOnboarding = 0
  for (const onboarding of await store.onboardingAgents.listForRun(
    taskRunId,
    ONBOARDING_IN_PROGRESS,
  )) {
    await setOnboardingStatus(ctx, onboarding.id, AgentStatus.EXPIRED)
    logger.info(
      { onboardingId: onboarding.id, workerId: onboarding.workerId },
      'resumed run: onboarding in progress expired; the worker registers again',
    )
    expiredOnboarding += 1
  }
  logger.info({ taskRunId, kept, released, expiredOnboarding }, 'run resumed')
  return { kept, released, expiredOnboarding }
}

/** Units `assigned` to an agent that is already final: released (screening and gold: expired). */
async function releaseOrphanedUnits(ctx: RunContext): Promise<number> {
  const { store, logger, taskRunId } = ctx
  let released = 0
  for (const unit of await store.units.list({ taskRunId, statuses: [UnitStatus.ASSIGNED] })) {
    if (unit.agentId === null) continue
    const agent = await store.agents.get(unit.agentId)
    if (agent !== null && !FINAL_AGENT_STATUSES.has(agent.status)) continue
    // Made for one worker, a screening or gold unit is never offered to another.
    if (unit.unitIndex < 0) await store.units.expire([unit.id])
    else await store.units.release({ unitId: unit.id, agentId: unit.agentId })
    logger.info(
      { unitId: unit.id, agentId: unit.agentId, agentStatus: agent?.status },
      'resumed run: unit still held by an ended agent released',
    )
    released += 1
  }
  return released
}
