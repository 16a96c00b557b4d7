/**
 * Agent statuses, exactly the reference's strings (note the spaces in
 * `in task` and `partner disconnect`, and the underscore in `soft_rejected`).
 */
export const AgentStatus = {
  NONE: 'none',
  ACCEPTED: 'accepted',
  ONBOARDING: 'onboarding',
  WAITING: 'waiting',
  IN_TASK: 'in task',
  COMPLETED: 'completed',
  DISCONNECT: 'disconnect',
  TIMEOUT: 'timeout',
  PARTNER_DISCONNECT: 'partner disconnect',
  EXPIRED: 'expired',
  RETURNED: 'returned',
  APPROVED: 'approved',
  SOFT_REJECTED: 'soft_rejected',
  REJECTED: 'rejected',
} as const

/** One of the {@link AgentStatus} strings. */
export type AgentStatus = (typeof AgentStatus)[keyof typeof AgentStatus]

/** Every valid status, in the reference's order. */
export const AGENT_STATUSES: readonly AgentStatus[] = Object.values(AgentStatus)

/**
 * Statuses in which a worker is expected to hold a live socket and heartbeat;
 * the router marks such an agent `disconnect` when it falls silent.
 */
export const LIVE_AGENT_STATUSES: ReadonlySet<AgentStatus> = new Set<AgentStatus>([
  AgentStatus.ONBOARDING,
  AgentStatus.WAITING,
  AgentStatus.IN_TASK,
])

/**
 * Final statuses (the reference's `complete()` set): supervisors stop waiting.
 * `partner disconnect` is deliberately not in it: that agent may still submit.
 */
export const FINAL_AGENT_STATUSES: ReadonlySet<AgentStatus> = new Set<AgentStatus>([
  AgentStatus.COMPLETED,
  AgentStatus.DISCONNECT,
  AgentStatus.TIMEOUT,
  AgentStatus.EXPIRED,
  AgentStatus.RETURNED,
  AgentStatus.SOFT_REJECTED,
  AgentStatus.APPROVED,
  AgentStatus.REJECTED,
])

/** Whether `value` is one of the 14 valid agent statuses. */
export function isAgentStatus(value: unknown): value is AgentStatus {
  return typeof value === 'string' && (AGENT_STATUSES as readonly string[]).includes(value)
}
