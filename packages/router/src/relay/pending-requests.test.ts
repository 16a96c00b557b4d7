import { ErrorCode, PacketType, type AgentDetailsPacket } from '@faust/protocol'
import { FakeClock } from '@faust/testing'
import { describe, expect, it } from 'vitest'
import { PendingRequests } from './pending-requests.js'
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
