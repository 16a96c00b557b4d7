import type { FastifyInstance } from 'fastify'

/**
 * Adds the browser-facing security headers to every HTTP answer: the task
 * page's Content-Security-Policy (an empty policy sends none), `nosniff`,
 * and a Referrer-Policy that keeps worker ids in page URLs from leaking to
 * other sites. No X-Frame-Options: its only values (DENY, SAMEORIGIN) would
 * stop crowd providers from showing the task in their iframe; the policy's
 * `frame-ancestors` says who may frame the page instead. Routes may replace
 * a header (downloads send their own, stricter policy).
 */
export function installSecurityHeaders(app: FastifyInstance, contentSecurityPolicy: string): void {
  const headers: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
  }
  if (contentSecurityPolicy !== '') headers['content-security-policy'] = contentSecurityPolicy
  app.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(headers)
    done()
  })
}
