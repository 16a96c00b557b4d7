import { AGENT_STATUSES, FINAL_AGENT_STATUSES, type AgentStatus } from '@faust/protocol'
import { toSubjectId } from '../store/agent-ref.js'
import type { Repositories } from '../store/repositories.js'

const NOT_FINAL = AGENT_STATUSES.filter((status) => !FINAL_AGENT_STATUSES.has(status))

/**
 * Every agent of the run whose status is not final, regular and onboarding,
 * by wire id, as stored: what the backend re-announces to the router after
 * each (re)connect (docs/protocol.md §14), including agents of a resumed run
 * this process never pushed a status for.
 */
export async function liveAgentsOf(
  store: Repositories,
  taskRunId: string,
): Promise<[string, AgentStatus][]> {
  const [agents, onboarding] = await Promise.all([
    store.agents.listForRun(taskRunId, NOT_FINAL),
    store.onboardingAgents.listForRun(taskRunId, NOT_FINAL),
  ])
  return [
    ...agents.map((agent): [string, AgentStatus] => [agent.id, agent.status]),
    ...onboarding.map((record): [string, AgentStatus] => [
      toSubjectId({ kind: 'onboarding', id: record.id }),
      record.status,
    ]),
  ]
}
