import type { FastifyInstance } from 'fastify'
import { ErrorCode, parseLimitedJson, type JsonLimits } from '@faust/protocol'
import { RouterError } from '../relay/router-error.js'

/**
 * Parses `application/json` bodies with the router's JSON limits. Fastify's
 * own parser accepted any nesting, and a 20 KB body of nested arrays then
 * threw in `JSON.stringify` on its way to the backend: a 500, or, with the
 * backend away, a crash of the whole router when the backlog was delivered.
 * Now such a body is a 400 `JSON_LIMIT_EXCEEDED` before any route sees it.
 * `JSON.parse` keeps `__proto__` and `constructor` as plain own keys, which
 * the schemas drop and nothing merges into a prototype.
 */
export function installJsonBodyParser(app: FastifyInstance, limits: JsonLimits): void {
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const parsed = parseLimitedJson(body as string, limits)
    if (parsed.ok) {
      done(null, parsed.value)
      return
    }
    const message =
      parsed.error.code === ErrorCode.MALFORMED_JSON
        ? 'the body is not valid JSON'
        : parsed.error.message
    done(new RouterError(parsed.error.code, message), undefined)
  })
}
