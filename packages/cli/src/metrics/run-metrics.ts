import { Gauge } from 'prom-client'
import type { RunObserver } from '@faust/backend'
import type { Store } from '@faust/backend/store'
import type { FaustMetrics } from './faust-metrics.js'

/** The run observer (`runTask({ observer })`) that feeds the metrics. */
export function runObserverFor(metrics: FaustMetrics): RunObserver {
  return {
    registration: ({ granted, reason, step, ms }) => {
      metrics.registrations.inc({
        step,
        outcome: granted ? 'granted' : 'refused',
        reason: reason ?? '',
      })
      metrics.registrationDuration.observe({ step }, ms / 1000)
    },
    submissionStored: ({ stored, code, ms }) => {
      metrics.submissions.inc({ outcome: stored ? 'stored' : 'refused', code: code ?? '' })
      metrics.submissionDuration.observe(ms / 1000)
    },
    storeCommit: ({ kind, ms }) => {
      metrics.storeCommit.observe({ kind }, ms / 1000)
    },
    backlog: ({ outbox, queued }) => {
      metrics.backlog.set({ queue: 'backend_outbox' }, outbox)
      metrics.backlog.set({ queue: 'backend_handling' }, queued)
    },
  }
}

/**
 * `faust_agents{kind,status}`: the run's agents (unit and onboarding) by
 * status, counted in the store at each scrape (two grouped counts on
 * indexed columns), so it is right whoever changed a status.
 */
export function countAgentsByStatus(
  metrics: FaustMetrics,
  store: Store,
  taskRunId: () => string | undefined,
): void {
  new Gauge({
    name: 'faust_agents',
    help: "The run's agents by kind (unit, onboarding) and status, as stored",
    labelNames: ['kind', 'status'],
    registers: [metrics.registry],
    async collect() {
      const runId = taskRunId()
      this.reset()
      if (runId === undefined) return
      for (const kind of ['unit', 'onboarding'] as const) {
        const table = kind === 'unit' ? 'agents' : 'onboarding_agents'
        const rows = await store.db
          .selectFrom(table)
          .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
          .where('task_run_id', '=', runId)
          .groupBy('status')
          .execute()
        for (const row of rows) this.set({ kind, status: row.status }, Number(row.count))
      }
    },
  })
}
