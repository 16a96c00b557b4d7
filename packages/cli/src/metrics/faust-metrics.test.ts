import { describe, expect, it } from 'vitest'
import type { RouterObserver } from '@faust/router'
import { createFaustMetrics } from './faust-metrics.js'
import { observeRouter } from './router-metrics.js'
import { runObserverFor } from './run-metrics.js'

const STATS = {
  agents: 3,
  pendingRequests: 1,
  backendAttached: true,
  backendBacklog: 4,
  admittedAgents: 2,
  endedAgents: 5,
  sockets: 6,
}

/** A router that hands its observer to the test. */
function fakeRouter(): {
  router: Parameters<typeof observeRouter>[1]
  observer: () => RouterObserver
} {
  let observer: RouterObserver | undefined
  return {
    router: {
      observe: (given) => {
        observer = given
        return () => (observer = undefined)
      },
      stats: () => STATS,
    },
    observer: () => observer ?? {},
  }
}

describe('Faust metrics', () => {
  it("counts a heartbeat as missed when its gap passes half the router's timeout", async () => {
    const metrics = createFaustMetrics()
    const { router, observer } = fakeRouter()
    observeRouter(metrics, router, { heartbeatTimeoutMs: 15_000 })
    const beat = (gapMs: number): void =>
      observer().heartbeat?.({ agentId: 'a', at: 0, gapMs, rttMs: null })
    beat(0)
    beat(6000)
    beat(7500)
    beat(7501)
    beat(20_000)
    const text = await metrics.registry.metrics()
    expect(text).toMatch(/^faust_heartbeats_total 5$/m)
    expect(text).toMatch(/^faust_heartbeats_missed_total 2$/m)
    expect(text).toMatch(/^faust_heartbeat_gap_seconds_count 4$/m)
  })

  it('reads the router sizes at the scrape, and stops counting once unobserved', async () => {
    const metrics = createFaustMetrics()
    const { router, observer } = fakeRouter()
    const stop = observeRouter(metrics, router, { heartbeatTimeoutMs: 15_000 })
    observer().agentConnected?.({ agentId: 'a', at: 0, reconnect: true })
    observer().agentDisconnected?.({ agentId: 'a', at: 0, reason: 'heartbeat_timeout' })
    stop()
    observer().agentConnected?.({ agentId: 'a', at: 0, reconnect: true })
    const text = await metrics.registry.metrics()
    expect(text).toMatch(/^faust_agent_reconnects_total 1$/m)
    expect(text).toMatch(/^faust_agent_disconnects_total\{reason="heartbeat_timeout"\} 1$/m)
    expect(text).toMatch(/^faust_router_agents\{state="sockets"\} 6$/m)
    expect(text).toMatch(/^faust_backlog\{queue="router_backend"\} 4$/m)
    expect(text).toMatch(/^faust_backlog\{queue="router_pending_requests"\} 1$/m)
  })

  it("turns the run's events into registrations by reason, submissions, commits and backlogs", async () => {
    const metrics = createFaustMetrics()
    const observer = runObserverFor(metrics)
    observer.registration?.({ granted: false, reason: 'BLOCKED', step: 'register', ms: 2 })
    observer.registration?.({ granted: true, reason: null, step: 'onboarding', ms: 3 })
    observer.submissionStored?.({ stored: false, code: 'ALREADY_SUBMITTED', ms: 1 })
    observer.storeCommit?.({ kind: 'batch', ms: 4, jobs: 3 })
    observer.backlog?.({ outbox: 7, queued: 2 })
    const text = await metrics.registry.metrics()
    expect(text).toMatch(
      /^faust_registrations_total\{step="register",outcome="refused",reason="BLOCKED"\} 1$/m,
    )
    expect(text).toMatch(
      /^faust_registrations_total\{step="onboarding",outcome="granted",reason=""\} 1$/m,
    )
    expect(text).toMatch(
      /^faust_submissions_total\{outcome="refused",code="ALREADY_SUBMITTED"\} 1$/m,
    )
    expect(text).toMatch(/^faust_store_commit_seconds_sum\{kind="batch"\} 0.004$/m)
    expect(text).toMatch(/^faust_backlog\{queue="backend_outbox"\} 7$/m)
    expect(text).toMatch(/^faust_backlog\{queue="backend_handling"\} 2$/m)
  })
})
