import type { IncomingMessage } from 'node:http'
import { isIP } from 'node:net'
import { PacketType, SYSTEM_SUBJECT_ID } from '@faust/protocol'

/**
 * How the backend proves who it is: `token` (the secret, always accepted) or
 * `loopback` (also a socket that presents nothing, if it comes from this
 * machine; for backends that cannot send a secret, such as Mephisto's).
 */
export type BackendAuth = 'token' | 'loopback'

/** Every backend-auth mode, for option parsing. */
export const BACKEND_AUTH_MODES: readonly BackendAuth[] = ['token', 'loopback']

/** Headers a reverse proxy adds: behind one on this host every peer looks local. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'] as const

/**
 * Whether an upgrade that presented no secret may still turn out to be the
 * backend under `loopback` auth. It must come from a loopback address, and
 * carry neither an `Origin` (every browser sends one on a WebSocket, so a
 * page, even one open on this machine, is never trusted) nor a proxy's
 * forwarding headers (a proxy on this host makes remote peers look local).
 */
export function mayBeLoopbackBackend(
  request: IncomingMessage,
  remoteAddress: string | undefined,
): boolean {
  if (remoteAddress === undefined || !isLoopbackAddress(remoteAddress)) return false
  if (request.headers.origin !== undefined) return false
  return PROXY_HEADERS.every((name) => request.headers[name] === undefined)
}

/** `127.0.0.0/8`, `::1`, and their IPv4-mapped IPv6 forms. */
export function isLoopbackAddress(address: string): boolean {
  const plain = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : address
  if (isIP(plain) === 4) return plain.startsWith('127.')
  return isIP(plain) === 6 && /^(0{0,4}:){7}0{0,3}1$|^::1$/.test(plain.toLowerCase())
}

/**
 * Whether a socket's first frame is the backend's `alive` (subject
 * `mephisto`). Only a cheap look: the relay validates the frame properly.
 */
export function isBackendAlive(text: string): boolean {
  if (!text.includes(SYSTEM_SUBJECT_ID)) return false
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== 'object' || value === null) return false
    const packet = value as Record<string, unknown>
    return packet['packet_type'] === PacketType.ALIVE && packet['subject_id'] === SYSTEM_SUBJECT_ID
  } catch {
    return false
  }
}
