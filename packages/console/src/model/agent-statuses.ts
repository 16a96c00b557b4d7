import { AgentStatus } from '@faust/protocol'

/** Statuses of an agent a worker is on right now (a unit or an onboarding). */
export const ACTIVE_AGENT_STATUSES: readonly AgentStatus[] = [
  AgentStatus.NONE,
  AgentStatus.ACCEPTED,
  AgentStatus.ONBOARDING,
  AgentStatus.WAITING,
  AgentStatus.IN_TASK,
]

/** Statuses of work handed in, reviewed or not. */
export const HANDED_IN_AGENT_STATUSES: readonly AgentStatus[] = [
  AgentStatus.COMPLETED,
  AgentStatus.APPROVED,
  AgentStatus.REJECTED,
  AgentStatus.SOFT_REJECTED,
]
