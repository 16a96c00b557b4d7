import { AgentStatus } from '@faust/protocol'
import { toSubjectId } from '../../store/agent-ref.js'
import type { RunContext } from './run-context.js'

// Onboarding agents' verdicts are internal; the reference never pushes them
// (the page learns the outcome from the answer to /submit_onboarding).
const UNPUSHED_ONBOARDING: ReadonlySet<AgentStatus> = new Set([
  AgentStatus.APPROVED,
  AgentStatus.REJECTED,
])

/** Writes an agent's status (with history) and pushes it to the page if it changed. */
export async function setAgentStatus(
  ctx: RunContext,
  agentId: string,
  status: AgentStatus,
): Promise<boolean> {
  const transition = await ctx.store.agents.setStatus(agentId, status)
  if (transition?.changed !== true) return false
  ctx.pushStatus(agentId, status)
  return true
}

/** Writes an onboarding agent's status and pushes it unless it is a verdict. */
export async function setOnboardingStatus(
  ctx: RunContext,
  onboardingId: string,
  status: AgentStatus,
): Promise<boolean> {
  const transition = await ctx.store.onboardingAgents.setStatus(onboardingId, status)
  if (transition?.changed !== true) return false
  if (!UNPUSHED_ONBOARDING.has(status))
    ctx.pushStatus(toSubjectId({ kind: 'onboarding', id: onboardingId }), status)
  return true
}
