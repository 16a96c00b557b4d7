import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** How a request presented the backend secret. */
export type TokenCheck = 'valid' | 'invalid' | 'absent'

/**
 * Checks the backend secret, given as `Authorization: Bearer <secret>` or as
 * the `token` query parameter (so an unmodified Mephisto backend only needs it
 * added to its router URL). Compared in constant time over fixed-length
 * digests, so neither content nor length leaks through timing.
 */
export function createTokenChecker(secret: string): (request: IncomingMessage) => TokenCheck {
  const expected = digest(secret)
  return (request) => {
    const presented = presentedToken(request)
    if (presented === null) return 'absent'
    return timingSafeEqual(digest(presented), expected) ? 'valid' : 'invalid'
  }
}

function presentedToken(request: IncomingMessage): string | null {
  const header = request.headers.authorization
  if (header !== undefined) {
    const match = /^Bearer\s+(.+)$/i.exec(header)
    return match?.[1]?.trim() ?? ''
  }
  const url = request.url ?? '/'
  const queryStart = url.indexOf('?')
  if (queryStart === -1) return null
  return new URLSearchParams(url.slice(queryStart + 1)).get('token')
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest()
}
