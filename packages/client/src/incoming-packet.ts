import { PacketType } from '@faust/protocol/constants'

/** A JSON object, as live updates and packet payloads are. */
export type JsonRecord = Record<string, unknown>

/**
 * The packets a page acts on, read from a socket frame. A heartbeat echo
 * carries the router's send time (seconds), the router's time of the
 * backend's last poll (ms) and the page's own send time (seconds), or null
 * where the packet did not say.
 */
export type IncomingPacket =
  | {
      readonly type: 'heartbeat'
      readonly routerSeconds: number | null
      readonly lastMephistoPingMs: number | null
      /** The echo's `client_timestamp`: this page's own send time (seconds), for the round trip; unset without one. */
      readonly sentSeconds?: number | undefined
    }
  | { readonly type: 'status'; readonly status: string }
  | { readonly type: 'live_update'; readonly data: JsonRecord }

/** Reads a frame from the router; anything else, or anything malformed, is null. */
export function readIncomingPacket(frame: unknown): IncomingPacket | null {
  let packet: unknown
  try {
    packet = JSON.parse(String(frame))
  } catch {
    return null
  }
  if (!isRecord(packet)) return null
  const data = packet['data']
  switch (packet['packet_type']) {
    case PacketType.HEARTBEAT: {
      const ping = isRecord(data) ? data['last_mephisto_ping'] : undefined
      const seconds = packet['router_outgoing_timestamp'] ?? packet['router_incoming_timestamp']
      return {
        type: 'heartbeat',
        routerSeconds: typeof seconds === 'number' ? seconds : null,
        lastMephistoPingMs: typeof ping === 'number' ? ping : null,
        sentSeconds:
          typeof packet['client_timestamp'] === 'number' ? packet['client_timestamp'] : undefined,
      }
    }
    case PacketType.UPDATE_STATUS:
      return isRecord(data) && typeof data['status'] === 'string'
        ? { type: 'status', status: data['status'] }
        : null
    case PacketType.CLIENT_BOUND_LIVE_UPDATE:
      return isRecord(data) ? { type: 'live_update', data } : null
    default:
      return null
  }
}

/** Whether `value` is a JSON object (not null, not an array). */
export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
