import { describe, expect, it } from 'vitest'
import { readIncomingPacket } from './incoming-packet.js'

describe('reading frames from the router', () => {
  it('reads a heartbeat echo, preferring the outgoing router timestamp', () => {
    const frame = JSON.stringify({
      packet_type: 'heartbeat',
      data: { last_mephisto_ping: 1000, status: 'in task' },
      router_incoming_timestamp: 1.5,
      router_outgoing_timestamp: 2.5,
    })
    expect(readIncomingPacket(frame)).toEqual({
      type: 'heartbeat',
      routerSeconds: 2.5,
      lastMephistoPingMs: 1000,
    })
    expect(readIncomingPacket('{"packet_type":"heartbeat","router_incoming_timestamp":3}')).toEqual(
      {
        type: 'heartbeat',
        routerSeconds: 3,
        lastMephistoPingMs: null,
      },
    )
  })

  it("reads the page's own send time from a heartbeat echo, for the round trip", () => {
    const frame = JSON.stringify({
      packet_type: 'heartbeat',
      client_timestamp: 1.25,
      data: { last_mephisto_ping: 1000 },
      router_outgoing_timestamp: 2.5,
    })
    expect(readIncomingPacket(frame)).toMatchObject({ type: 'heartbeat', sentSeconds: 1.25 })
    expect(
      readIncomingPacket('{"packet_type":"heartbeat","client_timestamp":"1"}'),
    ).not.toHaveProperty('sentSeconds', expect.anything())
  })

  it('reads statuses and live updates', () => {
    expect(
      readIncomingPacket('{"packet_type":"update_status","data":{"status":"waiting"}}'),
    ).toEqual({
      type: 'status',
      status: 'waiting',
    })
    expect(readIncomingPacket('{"packet_type":"client_bound_live_update","data":{"a":1}}')).toEqual(
      {
        type: 'live_update',
        data: { a: 1 },
      },
    )
  })

  it.each([
    'not json',
    '[1]',
    'null',
    '{"packet_type":"update_status","data":{"status":3}}',
    '{"packet_type":"client_bound_live_update","data":[]}',
    '{"packet_type":"agent_details","data":{}}',
  ])('ignores %s', (frame) => {
    expect(readIncomingPacket(frame)).toBeNull()
  })
})
