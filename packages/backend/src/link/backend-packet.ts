import { toWireSeconds, type Clock } from '@faust/protocol'

/**
 * A backend-originated packet with all seven envelope keys, as Mephisto's
 * `Packet.to_sendable_dict` sends them (client and router timestamps null).
 */
export function backendPacket(
  clock: Clock,
  packet: { readonly type: string; readonly subjectId: string; readonly data: unknown },
): Record<string, unknown> {
  return {
    packet_type: packet.type,
    subject_id: packet.subjectId,
    data: packet.data,
    client_timestamp: null,
    router_incoming_timestamp: null,
    router_outgoing_timestamp: null,
    server_timestamp: toWireSeconds(clock.now()),
  }
}
