import type { Option } from 'commander'
import { integerOption } from '../parse-number.js'
import type { FaustMetrics } from './faust-metrics.js'
import { startMetricsServer, type MetricsServer, type MetricsSource } from './metrics-server.js'

/** `--metrics-port <n>` of `faust run`, `faust router` and `faust simulate`. */
export function metricsPortOption(): Option {
  return integerOption(
    '--metrics-port <n>',
    'serve Prometheus metrics on http://127.0.0.1:<n>/metrics (0 = any free port; docs/operations.md)',
    'FAUST_METRICS_PORT',
  )
}

/** The registry as a scrape source. */
export function sourceOf(metrics: FaustMetrics): MetricsSource {
  const { registry } = metrics
  return {
    contentType: registry.contentType,
    text: () => registry.metrics(),
    json: () => registry.getMetricsAsJSON(),
  }
}

/** Starts the metrics endpoint; a port in use is said plainly. */
export async function serveMetrics(source: MetricsSource, port: number): Promise<MetricsServer> {
  try {
    return await startMetricsServer(source, { port })
  } catch (error) {
    if ((error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE') {
      throw new Error(
        `metrics port ${String(port)} is already in use on 127.0.0.1: pass --metrics-port <n> with a free port, or 0 to pick any free one`,
        { cause: error },
      )
    }
    throw error
  }
}

/** The line every command prints once the endpoint listens. */
export function metricsLine(server: MetricsServer): string {
  return `metrics: ${server.url}\n`
}
