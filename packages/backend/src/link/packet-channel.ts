import type { RouterToBackendPacket } from '@faust/protocol'

/**
 * What `IoHandler` needs of the link to the router: packets in, packets
 * out, and a call after each (re)connect. `RouterChannel` is the real
 * one; tests drive the handler with an in-memory one.
 */
export interface PacketChannel {
  /** Set by the handler: called with every valid packet from the router. */
  onPacket: (packet: RouterToBackendPacket) => void
  /** Set by the handler: called after each (re)connect. */
  onOpen: () => void
  /** Sends now or later (the channel may queue); false if the packet was dropped. */
  send(packet: Record<string, unknown>): boolean
}
