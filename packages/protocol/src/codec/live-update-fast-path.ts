import type { PacketType } from '../codes/packet-type.js'
import { MAX_SUBJECT_ID_LENGTH } from '../packets/envelope.js'
import type {
  ClientBoundLiveUpdatePacket,
  MephistoBoundLiveUpdatePacket,
} from '../packets/packets.js'

const TIMESTAMP_KEYS = [
  'client_timestamp',
  'router_incoming_timestamp',
  'router_outgoing_timestamp',
  'server_timestamp',
] as const

/**
 * Whether `value` is a valid live update of `type`, checked by hand: the same
 * rules as the schema (a 1–256 character `subject_id`, an object `data`,
 * timestamps that are numbers or null), without the schema library's copy of
 * the packet and its data. Live updates are nearly all of a busy router's
 * traffic; a value that fails here is decoded by {@link decodePacket}, which
 * gives the precise error.
 */
export function isLiveUpdate<
  TType extends
    typeof PacketType.MEPHISTO_BOUND_LIVE_UPDATE | typeof PacketType.CLIENT_BOUND_LIVE_UPDATE,
>(
  value: unknown,
  type: TType,
): value is TType extends typeof PacketType.MEPHISTO_BOUND_LIVE_UPDATE
  ? MephistoBoundLiveUpdatePacket
  : ClientBoundLiveUpdatePacket {
  if (typeof value !== 'object' || value === null) return false
  const packet = value as Record<string, unknown>
  if (packet['packet_type'] !== type) return false
  const subject = packet['subject_id']
  if (typeof subject !== 'string' || subject.length === 0 || subject.length > MAX_SUBJECT_ID_LENGTH)
    return false
  const data = packet['data']
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false
  for (const key of TIMESTAMP_KEYS) {
    const timestamp = packet[key]
    if (timestamp !== undefined && timestamp !== null && typeof timestamp !== 'number') return false
  }
  return true
}
