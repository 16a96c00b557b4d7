import type { FastifyInstance } from 'fastify'
import type { RouterObservers } from '../relay/router-observers.js'

/** The REST requests that carry work to the backend, by route; their name is the event's `kind`. */
const RELAYED_ROUTES: ReadonlyMap<string, string> = new Map([
  ['/request_agent', 'request_agent'],
  ['/submit_onboarding', 'submit_onboarding'],
  ['/submit_task', 'submit_task'],
  ['/submit_metadata', 'submit_metadata'],
  ['/log_error', 'log_error'],
])

/**
 * Reports each relayed REST request's time in the router, from its arrival
 * to its answer, to the observers. A held request (a registration, or a
 * submission under `stored_acks`) waits for the backend's answer, so its
 * latency includes the backend's work; the others are answered once handed on.
 */
export function reportRelayedRequests(app: FastifyInstance, observers: RouterObservers): void {
  app.addHook('onResponse', (request, reply, done) => {
    if (observers.timing) {
      const kind = RELAYED_ROUTES.get(request.routeOptions.url ?? '')
      if (kind !== undefined) {
        observers.emit('relayed', { kind, direction: 'to_backend', latencyMs: reply.elapsedTime })
      }
    }
    done()
  })
}
