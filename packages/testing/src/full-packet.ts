/**
 * A packet with the reference's whole envelope, every timestamp key present
 * (null unless given), as a backend or a router sends it.
 */
export function fullPacket(
  type: string,
  subjectId: string,
  data: unknown,
  serverTimestamp: number | null = null,
): Record<string, unknown> {
  return {
    packet_type: type,
    subject_id: subjectId,
    data,
    client_timestamp: null,
    router_incoming_timestamp: null,
    router_outgoing_timestamp: null,
    server_timestamp: serverTimestamp,
  }
}
