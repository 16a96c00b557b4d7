import { Gauge } from 'prom-client'
import type { Router, RouterObserver } from '@faust/router'
import type { FaustMetrics } from './faust-metrics.js'

/**
 * Feeds the router's events into the metrics, and reads its sizes at each
 * scrape. A heartbeat counts as missed when its gap exceeds half the
 * router's heartbeat timeout: a page beats every 6 s, so with the default
 * 15 s timeout a gap over 7.5 s means at least one beat did not arrive.
 * Returns the function that stops observing.
 */
export function observeRouter(
  metrics: FaustMetrics,
  router: Pick<Router, 'observe' | 'stats'>,
  options: { readonly heartbeatTimeoutMs: number },
): () => void {
  const missedAfterMs = options.heartbeatTimeoutMs / 2
  const observer: RouterObserver = {
    agentConnected: ({ reconnect }) => {
      metrics.agentConnects.inc({ reconnect: String(reconnect) })
      if (reconnect) metrics.agentReconnects.inc()
    },
    agentDisconnected: ({ reason }) => {
      metrics.agentDisconnects.inc({ reason })
    },
    heartbeat: ({ gapMs }) => {
      metrics.heartbeats.inc()
      // The first beat of an agent has no gap.
      if (gapMs <= 0) return
      metrics.heartbeatGap.observe(gapMs / 1000)
      if (gapMs > missedAfterMs) metrics.heartbeatsMissed.inc()
    },
    relayed: ({ kind, direction, latencyMs }) => {
      metrics.relayLatency.observe({ kind, direction }, latencyMs / 1000)
    },
    backendConnected: () => {
      metrics.backendConnected.set(1)
      metrics.backendConnects.inc()
    },
    backendDisconnected: () => {
      metrics.backendConnected.set(0)
    },
  }
  new Gauge({
    name: 'faust_router_agents',
    help: 'Agents the router holds, by state (tracked: with a record; admitted: issued and not ended; ended: remembered after their unit ended), and open sockets (sockets)',
    labelNames: ['state'],
    registers: [metrics.registry],
    collect() {
      const stats = router.stats()
      this.set({ state: 'tracked' }, stats.agents)
      this.set({ state: 'admitted' }, stats.admittedAgents)
      this.set({ state: 'ended' }, stats.endedAgents)
      this.set({ state: 'sockets' }, stats.sockets)
    },
  })
  metrics.backlogSamplers.push(() => {
    const stats = router.stats()
    metrics.backlog.set({ queue: 'router_backend' }, stats.backendBacklog)
    metrics.backlog.set({ queue: 'router_pending_requests' }, stats.pendingRequests)
  })
  metrics.backendConnected.set(0)
  return router.observe(observer)
}
