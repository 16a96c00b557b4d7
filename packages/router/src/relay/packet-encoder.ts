import { encodeJson, toWireSeconds, type Clock, type Result } from '@faust/protocol'
import { RouterError } from './router-error.js'

/**
 * Turns a packet into the text sent to one peer, stamping
 * `router_outgoing_timestamp`. Each packet is encoded once, when it is handed
 * to the router's outgoing side: the backend's backlog keeps the text, so a
 * packet that cannot be encoded is refused while its sender is still there to
 * be told, never later when the backend comes back (where one bad packet used
 * to throw and take the whole backlog and process with it).
 */
export class PacketEncoder {
  readonly #clock: Clock

  constructor(clock: Clock) {
    this.#clock = clock
  }

  encode(packet: Record<string, unknown>): Result<string, RouterError> {
    packet['router_outgoing_timestamp'] = toWireSeconds(this.#clock.now())
    const encoded = encodeJson(packet)
    if (encoded.ok) return encoded
    return { ok: false, error: new RouterError(encoded.error.code, encoded.error.message) }
  }
}
