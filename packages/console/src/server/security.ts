import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { ConsoleErrorCode, ConsoleHttpError } from './console-error.js'

/** The session cookie's name. */
export const SESSION_COOKIE = 'faust_console'
/** The header every POST carries, with the value `GET /api/session` gave. */
export const CSRF_HEADER = 'x-faust-csrf'
/** Sessions kept at most; the oldest is dropped first (each login makes one). */
const MAX_SESSIONS = 64

/** A fresh random secret: 32 bytes, base64url. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url')
}

/** Compares secrets in constant time. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The console's logged-in browsers: session id → its CSRF token. */
export class Sessions {
  readonly #csrf = new Map<string, string>()

  /** Starts a session; its id goes into the cookie. */
  open(): { readonly id: string; readonly csrf: string } {
    const id = randomSecret()
    const csrf = randomSecret()
    this.#csrf.set(id, csrf)
    if (this.#csrf.size > MAX_SESSIONS) {
      const oldest = this.#csrf.keys().next().value
      if (oldest !== undefined) this.#csrf.delete(oldest)
    }
    return { id, csrf }
  }

  /** The CSRF token of the request's session, or null without a valid cookie. */
  csrfOf(request: FastifyRequest): string | null {
    const id = readCookie(request.headers.cookie, SESSION_COOKIE)
    if (id === null) return null
    return this.#csrf.get(id) ?? null
  }
}

/** One cookie's value from a `Cookie` header. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (header === undefined) return null
  for (const part of header.split(';')) {
    const at = part.indexOf('=')
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim()
  }
  return null
}

/** The `Set-Cookie` value of a session: script-proof, same-site only, for the whole console. */
export function sessionCookie(id: string): string {
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict`
}

/** The `Host` values the console answers: its bound address, and `localhost` on loopback. */
export function allowedHosts(host: string, port: number): ReadonlySet<string> {
  const hosts = new Set([`${formatHost(host)}:${String(port)}`])
  if (isLoopback(host)) {
    for (const name of ['localhost', '127.0.0.1', '[::1]']) hosts.add(`${name}:${String(port)}`)
  }
  return hosts
}

/** `host` as it appears in a URL (IPv6 in brackets). */
export function formatHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.')
}

/** Refuses a request whose `Host` is not one of `hosts` (a rebound DNS name). */
export function checkHost(request: FastifyRequest, hosts: ReadonlySet<string>): void {
  const host = request.headers.host?.toLowerCase()
  if (host === undefined || !hosts.has(host))
    throw new ConsoleHttpError(403, ConsoleErrorCode.CONSOLE_HOST, 'unexpected Host header')
}

/** Refuses a POST whose `Origin` is missing or not the console's own (`http://<Host>`). */
export function checkOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin
  if (origin === undefined || origin !== `http://${request.headers.host ?? ''}`)
    throw new ConsoleHttpError(403, ConsoleErrorCode.CONSOLE_ORIGIN, 'cross-origin request refused')
}

/** Refuses a POST without the session's CSRF token in {@link CSRF_HEADER}. */
export function checkCsrf(request: FastifyRequest, csrf: string): void {
  const given = request.headers[CSRF_HEADER]
  if (typeof given !== 'string' || !sameSecret(given, csrf))
    throw new ConsoleHttpError(403, ConsoleErrorCode.CONSOLE_CSRF, 'missing or wrong CSRF token')
}

/**
 * The headers of every answer: the UI is one origin's own files (no inline
 * script, no framing, no referrer leaking the token), and nothing is sniffed.
 */
export function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy':
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  }
}
