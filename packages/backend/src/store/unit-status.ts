import { AgentStatus } from '@faust/protocol'

/**
 * Unit and assignment statuses, exactly the reference's strings
 * (`mephisto/data_model/constants/assignment_state.py`).
 */
export const UnitStatus = {
  CREATED: 'created',
  LAUNCHED: 'launched',
  ASSIGNED: 'assigned',
  COMPLETED: 'completed',
  ACCEPTED: 'accepted',
  MIXED: 'mixed',
  REJECTED: 'rejected',
  SOFT_REJECTED: 'soft_rejected',
  EXPIRED: 'expired',
} as const

/** One of the {@link UnitStatus} strings. */
export type UnitStatus = (typeof UnitStatus)[keyof typeof UnitStatus]

/** Every valid unit status, in the reference's order. */
export const UNIT_STATUSES: readonly UnitStatus[] = Object.values(UnitStatus)

/**
 * Statuses of finished work that count toward `maximum_units_per_worker`
 * across every run of a task (docs/protocol.md §4.2 step 3).
 */
export const FINISHED_UNIT_STATUSES: readonly UnitStatus[] = [
  UnitStatus.COMPLETED,
  UnitStatus.ACCEPTED,
  UnitStatus.REJECTED,
  UnitStatus.SOFT_REJECTED,
]

/** Whether `value` is one of the nine valid unit statuses. */
export function isUnitStatus(value: unknown): value is UnitStatus {
  return typeof value === 'string' && (UNIT_STATUSES as readonly string[]).includes(value)
}

/**
 * The unit status implied by the status of the agent holding it
 * (`mephisto/data_model/unit.py` 327-385). The reference computes it lazily;
 * the store writes it eagerly so that the DB-status counts used by
 * registration are never stale.
 */
export function unitStatusForAgentStatus(status: AgentStatus): UnitStatus {
  switch (status) {
    case AgentStatus.NONE:
      return UnitStatus.LAUNCHED
    case AgentStatus.ACCEPTED:
    case AgentStatus.ONBOARDING:
    case AgentStatus.WAITING:
    case AgentStatus.IN_TASK:
    case AgentStatus.PARTNER_DISCONNECT:
    case AgentStatus.DISCONNECT:
    case AgentStatus.RETURNED:
    case AgentStatus.TIMEOUT:
      return UnitStatus.ASSIGNED
    case AgentStatus.COMPLETED:
      return UnitStatus.COMPLETED
    case AgentStatus.SOFT_REJECTED:
      return UnitStatus.SOFT_REJECTED
    case AgentStatus.EXPIRED:
      return UnitStatus.EXPIRED
    case AgentStatus.APPROVED:
      return UnitStatus.ACCEPTED
    case AgentStatus.REJECTED:
      return UnitStatus.REJECTED
  }
}
