// `--metrics-port` on `faust run`, `faust router` and `faust simulate`,
// through the built bin script: real processes, real sockets, real scrapes.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { within } from '@faust/testing'
import {
  FIXTURE_DIR,
  SEVERAL_PROCESSES,
  register,
  startCli,
  submit,
  tempDir,
  workerLinks,
  type CliProcess,
} from '../support/cli-process.js'
import { BIN, example } from './simulate-process.js'

const TOKEN = 'cli-metrics-test-secret-0123456789'
const METRICS_LINE = /metrics: (http:\/\/127\.0\.0\.1:\d+\/metrics)\n/

async function scrape(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) })
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toContain('text/plain')
  return response.text()
}

/** The value of one sample (`name{labels}` exactly as Prometheus prints it), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((each) => each.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

/** Opens a worker's socket and says `alive`; resolves with the status the router answers. */
async function connectAgent(base: string, agentId: string): Promise<WebSocket> {
  const socket = new WebSocket(base.replace('http', 'ws'))
  await within(once(socket, 'open'), 5000, 'the socket to open')
  const answered = once(socket, 'message')
  socket.send(JSON.stringify({ packet_type: 'alive', subject_id: agentId, data: {} }))
  socket.send(JSON.stringify({ packet_type: 'heartbeat', subject_id: agentId }))
  await within(answered, 5000, 'the router to answer alive')
  return socket
}

async function metricsUrl(cli: CliProcess, stream: 'stdout' | 'stderr'): Promise<string> {
  const [, url] = await cli.waitFor(METRICS_LINE, 'the metrics line', stream)
  return url!
}

describe('--metrics-port', () => {
  it(
    'faust run serves the run and its router in Prometheus text while workers work',
    SEVERAL_PROCESSES,
    async () => {
      await using data = await tempDir('faust-cli-metrics-run-')
      const cli = startCli([
        'run',
        FIXTURE_DIR,
        ...['--port', '0', '--data-dir', data.path, '--metrics-port', '0'],
      ])
      try {
        const url = await metricsUrl(cli, 'stdout')
        const links = await workerLinks(cli)
        const first = await register(links[0]!)
        const socket = await connectAgent(links[0]!.base, first.agent_id!)
        await submit(links[0]!.base, first.agent_id!, { label: 'positive' })

        const text = await scrape(url)
        expect(
          sample(text, 'faust_registrations_total{step="register",outcome="granted",reason=""}'),
        ).toBe(1)
        expect(sample(text, 'faust_submissions_total{outcome="stored",code=""}')).toBe(1)
        expect(sample(text, 'faust_agents{kind="unit",status="completed"}')).toBe(1)
        expect(
          sample(
            text,
            'faust_relay_latency_seconds_count{kind="request_agent",direction="to_backend"}',
          ),
        ).toBe(1)
        expect(
          sample(text, 'faust_relay_latency_seconds_count{kind="heartbeat",direction="to_agent"}'),
        ).toBe(1)
        expect(sample(text, 'faust_agent_connects_total{reconnect="false"}')).toBe(1)
        expect(sample(text, 'faust_heartbeats_total')).toBe(2)
        expect(sample(text, 'faust_router_backend_connected')).toBe(1)
        expect(sample(text, 'faust_store_commit_seconds_count{kind="durable"}')).toBeGreaterThan(0)
        expect(sample(text, 'faust_store_commit_seconds_count{kind="batch"}')).toBeGreaterThan(0)
        expect(text).toMatch(/^faust_backlog\{queue="router_backend"\} 0$/m)
        expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m)
        expect(text).toContain('# TYPE faust_relay_latency_seconds histogram')

        const elsewhere = await fetch(url.replace('/metrics', '/'), {
          signal: AbortSignal.timeout(5000),
        })
        expect(elsewhere.status).toBe(404)

        socket.close()
        const second = await register(links[1]!)
        await submit(links[1]!.base, second.agent_id!, { label: 'negative' })
        expect((await cli.exited()).code).toBe(0)
      } finally {
        // A failed expectation must not leave the run behind.
        if (cli.child.exitCode === null) cli.child.kill('SIGKILL')
      }
    },
  )

  it(
    'faust router serves the relay, and faust run against it the run',
    SEVERAL_PROCESSES,
    async () => {
      await using data = await tempDir('faust-cli-metrics-router-')
      const router = startCli([
        'router',
        '--port',
        '0',
        '--backend-token',
        TOKEN,
        '--metrics-port',
        '0',
      ])
      try {
        const [, base] = await router.waitFor(/serving (http:\/\/\S+?)\/ /, 'the router', 'stderr')
        const routerMetrics = await metricsUrl(router, 'stderr')
        expect(router.stderr()).toContain(`faust router: metrics: ${routerMetrics}`)
        const run = startCli([
          'run',
          FIXTURE_DIR,
          ...['--data-dir', data.path, '--router-url', base!, '--router-token', TOKEN],
          ...['--metrics-port', '0'],
        ])
        const runMetrics = await metricsUrl(run, 'stdout')
        const links = await workerLinks(run)
        const first = await register(links[0]!)
        const socket = await connectAgent(base!, first.agent_id!)
        await submit(base!, first.agent_id!, { label: 'positive' })

        const relay = await scrape(routerMetrics)
        expect(
          sample(
            relay,
            'faust_relay_latency_seconds_count{kind="submit_task",direction="to_backend"}',
          ),
        ).toBe(1)
        expect(sample(relay, 'faust_router_backend_connected')).toBe(1)
        expect(sample(relay, 'faust_router_backend_connects_total')).toBe(1)
        expect(sample(relay, 'faust_agent_connects_total{reconnect="false"}')).toBe(1)
        expect(sample(relay, 'faust_router_agents{state="sockets"}')).toBeGreaterThanOrEqual(2)
        // The router alone has no store: the run's families are the run's.
        expect(relay).not.toContain('faust_registrations_total{')

        const work = await scrape(runMetrics)
        expect(
          sample(work, 'faust_registrations_total{step="register",outcome="granted",reason=""}'),
        ).toBe(1)
        expect(sample(work, 'faust_agents{kind="unit",status="completed"}')).toBe(1)

        socket.close()
        const second = await register(links[1]!)
        await submit(base!, second.agent_id!, { label: 'negative' })
        expect((await run.exited()).code).toBe(0)
      } finally {
        router.child.kill('SIGTERM')
        await router.exited()
      }
    },
  )

  it(
    'faust simulate sums its router and backend while the bots work',
    { timeout: 120_000 },
    async () => {
      const child = spawn(
        process.execPath,
        [BIN, 'simulate', example('static-form'), '--workers', '4', '--metrics-port', '0'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      )
      try {
        let stderr = ''
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
        const closed = once(child, 'close')
        const line = await within(
          new Promise<string>((resolve) => {
            child.stderr.on('data', () => {
              const match = METRICS_LINE.exec(stderr)
              if (match !== null) resolve(match[1]!)
            })
          }),
          60_000,
          'the metrics line',
        )
        // Scraped until the bots' work shows, or the simulation ends first (a failure).
        let ended = false
        void closed.then(() => (ended = true))
        let text = ''
        const worked = (): boolean =>
          (sample(text, 'faust_submissions_total{outcome="stored",code=""}') ?? 0) > 0 &&
          (sample(
            text,
            'faust_relay_latency_seconds_count{kind="request_agent",direction="to_backend"}',
          ) ?? 0) > 0
        while (!ended && !worked()) text = await scrape(line).catch(() => text)
        expect(worked()).toBe(true)
        expect(
          sample(text, 'faust_registrations_total{step="register",outcome="granted",reason=""}'),
        ).toBeGreaterThan(0)
        expect(sample(text, 'faust_router_backend_connected')).toBe(1)
        expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m)
        const [code] = (await within(closed, 100_000, 'faust simulate to end')) as [number | null]
        expect(code).toBe(0)
      } finally {
        if (child.exitCode === null) child.kill('SIGTERM')
      }
    },
  )
})
