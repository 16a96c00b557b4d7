import { describe, expect, it } from 'vitest'
import {
  AgentToRouterPacket,
  BackendToRouterPacket,
  decodePacket,
  isLiveUpdate,
  PacketType,
} from '../index.js'

const up = PacketType.MEPHISTO_BOUND_LIVE_UPDATE
const down = PacketType.CLIENT_BOUND_LIVE_UPDATE

// The fast path must accept exactly what the schema accepts for live updates.
const samples: unknown[] = [
  { packet_type: up, subject_id: 'a1', data: { text: 'hi' } },
  { packet_type: up, subject_id: 'a1', data: {}, client_timestamp: 1.5, extra: true },
  { packet_type: up, subject_id: 'a1', data: {}, client_timestamp: null },
  { packet_type: up, subject_id: '', data: {} },
  { packet_type: up, subject_id: 'x'.repeat(257), data: {} },
  { packet_type: up, subject_id: 'x'.repeat(256), data: {} },
  { packet_type: up, subject_id: 7, data: {} },
  { packet_type: up, subject_id: 'a1', data: [1] },
  { packet_type: up, subject_id: 'a1', data: null },
  { packet_type: up, subject_id: 'a1' },
  { packet_type: up, subject_id: 'a1', data: {}, server_timestamp: '1' },
  {
    packet_type: down,
    subject_id: 'a1',
    data: { t: 1 },
    router_incoming_timestamp: null,
    server_timestamp: 3,
  },
  { packet_type: down, subject_id: 'a1', data: 'text' },
  null,
  'packet',
]

describe('isLiveUpdate', () => {
  it.each(samples.map((sample) => [JSON.stringify(sample)?.slice(0, 60), sample]))(
    'agrees with the schema on %s',
    (_name, sample) => {
      const type = (sample as { packet_type?: string } | null)?.packet_type === down ? down : up
      const schema = type === up ? AgentToRouterPacket : BackendToRouterPacket
      expect(isLiveUpdate(sample, type)).toBe(decodePacket(sample, schema).ok)
    },
  )

  it('refuses another packet type', () => {
    expect(isLiveUpdate({ packet_type: 'alive', subject_id: 'a', data: {} }, up)).toBe(false)
  })
})
