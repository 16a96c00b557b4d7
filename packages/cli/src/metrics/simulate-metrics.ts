import {
  AggregatorRegistry,
  Registry,
  type MetricObjectWithValues,
  type MetricValue,
} from 'prom-client'
import type { MetricsServer } from './metrics-server.js'
import { serveMetrics } from './serve-metrics.js'

type MetricsJson = MetricObjectWithValues<MetricValue<string>>[]

/**
 * `faust simulate --metrics-port`: one endpoint for a simulation's router and
 * backend, each a child process serving its own metrics. A scrape fetches
 * both (prom-client's JSON) and sums them with prom-client's aggregator:
 * their Faust families do not overlap, and Node's default metrics are summed
 * or averaged as prom-client's cluster mode does. A child that does not
 * answer (the chaos restarting it) is left out of that scrape.
 */
export async function serveSimulationMetrics(
  port: number,
  children: () => readonly string[],
): Promise<MetricsServer> {
  const aggregate = async (): Promise<ReturnType<typeof AggregatorRegistry.aggregate>> => {
    const fetched = await Promise.all(children().map((url) => fetchJson(`${url}.json`)))
    return AggregatorRegistry.aggregate(fetched.filter((each) => each !== null))
  }
  return serveMetrics(
    {
      contentType: Registry.PROMETHEUS_CONTENT_TYPE,
      text: async () => (await aggregate()).metrics(),
      json: async () => (await aggregate()).getMetricsAsJSON(),
    },
    port,
  )
}

async function fetchJson(url: string): Promise<MetricsJson | null> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) })
    if (!response.ok) return null
    return (await response.json()) as MetricsJson
  } catch {
    return null
  }
}
