import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { ErrorCode } from '@faust/protocol'
import { RouterError } from '../relay/router-error.js'

/** Whose pages may open a worker socket. */
export interface OriginPolicy {
  /** The origin workers open the page at; without it, the `Host` the socket was asked for. */
  readonly publicOrigin: string | undefined
  /** Further origins (already normalised to `scheme://host[:port]`). */
  readonly allowedOrigins: readonly string[]
}

/**
 * Whether a WebSocket upgrade may become a worker's socket. Browsers always
 * send `Origin` on a WebSocket, and a page on any site may open one to the
 * router (cross-site WebSocket hijacking: speaking for a worker, or flooding
 * the relay from visitors' browsers); so a present Origin must be the
 * router's own or a listed one. No Origin at all is a program, not a page
 * (bots, Node clients, the backend), which this check does not concern.
 *
 * Without `publicOrigin` the router's own origin is whatever `Host` the
 * socket was asked for, scheme aside (a TLS proxy in front turns http into
 * https). With it, only that origin counts, which also stops DNS-rebinding
 * pages whose Host and Origin are both the attacker's name.
 */
export function isOriginAllowed(request: IncomingMessage, policy: OriginPolicy): boolean {
  const sent = request.headers.origin
  if (sent === undefined) return true
  const origin = normalise(sent)
  if (origin === undefined) return false
  if (policy.allowedOrigins.includes(origin.origin)) return true
  if (policy.publicOrigin !== undefined) return origin.origin === policy.publicOrigin
  const host = request.headers.host
  return origin.host === host?.toLowerCase()
}

/** Answers a refused upgrade with 403 and the usual JSON error body, then closes. */
export function refuseOrigin(socket: Duplex): void {
  const body = JSON.stringify(
    new RouterError(
      ErrorCode.ORIGIN_NOT_ALLOWED,
      "pages of this origin may not open the router's sockets",
    ).toWire(),
  )
  socket.end(
    'HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${String(Buffer.byteLength(body))}\r\n\r\n${body}`,
  )
}

function normalise(origin: string): URL | undefined {
  try {
    const url = new URL(origin)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined
  } catch {
    return undefined
  }
}
