import type { RunObserver } from '@faust/backend'
import type { Store } from '@faust/backend/store'
import type { Router } from '@faust/router'
import { createFaustMetrics } from './faust-metrics.js'
import type { MetricsServer } from './metrics-server.js'
import { observeRouter } from './router-metrics.js'
import { countAgentsByStatus, runObserverFor } from './run-metrics.js'
import { serveMetrics, sourceOf } from './serve-metrics.js'

/** `faust run --metrics-port`: the run's metrics, and its local router's when it has one. */
export interface RunMetricsEndpoint extends AsyncDisposable {
  readonly server: MetricsServer
  /** For `runTask({ observer })`. */
  readonly observer: RunObserver
  close(): Promise<void>
}

export async function openRunMetrics(input: {
  readonly port: number
  readonly store: Store
  /** The local router (a remote router serves its own, with `faust router --metrics-port`). */
  readonly router?: Pick<Router, 'observe' | 'stats'> | undefined
  readonly heartbeatTimeoutMs: number
}): Promise<RunMetricsEndpoint> {
  const metrics = createFaustMetrics()
  let runId: string | undefined
  countAgentsByStatus(metrics, input.store, () => runId)
  const unobserve =
    input.router === undefined
      ? () => undefined
      : observeRouter(metrics, input.router, { heartbeatTimeoutMs: input.heartbeatTimeoutMs })
  const server = await serveMetrics(sourceOf(metrics), input.port)
  const close = async (): Promise<void> => {
    unobserve()
    await server.close()
  }
  return {
    server,
    observer: {
      ...runObserverFor(metrics),
      // Names the run whose agents `faust_agents` counts.
      runStarted: ({ taskRunId }) => {
        runId = taskRunId
      },
    },
    close,
    [Symbol.asyncDispose]: close,
  }
}
