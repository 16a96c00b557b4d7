import { AGENT_STATUSES } from '@faust/protocol'
import { describe, expect, it } from 'vitest'
import {
  FINISHED_UNIT_STATUSES,
  UNIT_STATUSES,
  isUnitStatus,
  unitStatusForAgentStatus,
} from './unit-status.js'

describe('unit statuses', () => {
  it('are exactly the reference strings, in order', () => {
    expect(UNIT_STATUSES).toEqual([
      'created',
      'launched',
      'assigned',
      'completed',
      'accepted',
      'mixed',
      'rejected',
      'soft_rejected',
      'expired',
    ])
    expect(FINISHED_UNIT_STATUSES).toEqual(['completed', 'accepted', 'rejected', 'soft_rejected'])
    expect(isUnitStatus('soft_rejected')).toBe(true)
    expect(isUnitStatus('soft rejected')).toBe(false)
    expect(isUnitStatus(3)).toBe(false)
  })

  it('follow the agent status as unit.py computes it', () => {
    const mapped = Object.fromEntries(
      AGENT_STATUSES.map((status) => [status, unitStatusForAgentStatus(status)]),
    )
    expect(mapped).toEqual({
      none: 'launched',
      accepted: 'assigned',
      onboarding: 'assigned',
      waiting: 'assigned',
      'in task': 'assigned',
      completed: 'completed',
      disconnect: 'assigned',
      timeout: 'assigned',
      'partner disconnect': 'assigned',
      expired: 'expired',
      returned: 'assigned',
      approved: 'accepted',
      soft_rejected: 'soft_rejected',
      rejected: 'rejected',
    })
  })
})
