import { ErrorCode, PacketType, type AgentDetailsPacket } from '@faust/protocol'
import { FakeClock } from '@faust/testing'
import { describe, expect, it } from 'vitest'
import { PendingRequests, STORED } from './pending-requests.js'
import { RouterError } from './router-error.js'

const details = (requestId: string): AgentDetailsPacket => ({
  packet_type: PacketType.AGENT_DETAILS,
  subject_id: requestId,
  data: { request_id: requestId, agent_id: `agent-of-${requestId}` },
})

function start(): { pending: PendingRequests; clock: FakeClock } {
  const clock = new FakeClock()
  return { pending: new PendingRequests({ clock, timeoutMs: 1000, max: 2 }), clock }
}

describe('PendingRequests', () => {
  it('settles a held request with the packet that names it, and stops its timer', async () => {
    const { pending, clock } = start()
    const held = pending.hold('r1')
    expect(pending.settle('r1', details('r1'))).toBe(true)
    expect(await held).toEqual(details('r1'))
    expect([pending.size, clock.pendingTimers]).toEqual([0, 0])
    expect(pending.settle('r1', details('r1'))).toBe(false)
  })

  it('times out on the clock with TIMEOUT, and not before', async () => {
    const { pending, clock } = start()
    const held = pending.hold('r1')
    clock.advance(999)
    expect(pending.size).toBe(1)
    clock.advance(1)
    const outcome = await held
    expect(outcome).toBeInstanceOf(RouterError)
    expect(outcome).toMatchObject({ code: ErrorCode.TIMEOUT })
    expect(pending.size).toBe(0)
  })

  it('fails one request, or all of them, with the error given', async () => {
    const { pending, clock } = start()
    const one = pending.hold('r1')
    const two = pending.hold('r2')
    const refused = new RouterError(ErrorCode.BACKLOG_FULL, 'full')
    expect(pending.fail('r1', refused)).toBe(true)
    expect(pending.fail('r1', refused)).toBe(false)
    expect(await one).toBe(refused)
    const shutdown = new RouterError(ErrorCode.SHUTTING_DOWN, 'bye')
    pending.failAll(shutdown)
    expect(await two).toBe(shutdown)
    expect([pending.size, clock.pendingTimers]).toEqual([0, 0])
  })

  it('has room for at most `max` held requests', () => {
    const { pending } = start()
    void pending.hold('r1')
    expect(pending.hasRoom()).toBe(true)
    void pending.hold('r2')
    expect(pending.hasRoom()).toBe(false)
  })
})

describe('PendingRequests: confirmations (stored_acks)', () => {
  it('settles a held submission only with faust_stored, and a registration only with agent_details', async () => {
    const { pending } = start()
    const submission = pending.hold('s1', 'stored')
    const registration = pending.hold('r1')
    expect(pending.settle('s1', details('s1'))).toBe(false)
    expect(pending.confirm('r1', true)).toBe(false)
    expect(pending.confirm('s1', true)).toBe(true)
    expect(await submission).toBe(STORED)
    expect(pending.settle('r1', details('r1'))).toBe(true)
    expect(await registration).toEqual(details('r1'))
  })

  it('answers an onboarding held for agent_details with a refusal, but not with a success', async () => {
    const { pending } = start()
    const accepted = pending.hold('o1', 'details-after-stored')
    expect(pending.confirm('o1', true)).toBe(true)
    expect(pending.isHeld('o1')).toBe(true)
    expect(pending.settle('o1', details('o1'))).toBe(true)
    expect(await accepted).toEqual(details('o1'))
    const refused = pending.hold('o2', 'details-after-stored')
    const error = new RouterError(ErrorCode.STORE_FAILED, 'disk full')
    expect(pending.confirm('o2', error)).toBe(true)
    expect(await refused).toBe(error)
    expect(pending.size).toBe(0)
  })
})
