// `npm run bench:backend`: registrations through the router and the backend
// into SQLite. Each POST /request_agent crosses HTTP, the router, the backend
// socket, the worker pool's filters and a reservation transaction, and back.
// Router and backend each run in a child process; this process only loads.
import { randomBytes } from 'node:crypto'
import { writeFile, mkdir } from 'node:fs/promises'
import { Agent, request } from 'node:http'
import os from 'node:os'
import { startChild } from './lib/child-process.js'
import { nowMs, summarize } from './lib/stats.js'

const quick = process.argv.includes('--quick')
const shape = quick
  ? { units: 3000, warmup: 100, samples: 500, concurrency: 16, durationMs: 1500 }
  : { units: 30_000, warmup: 500, samples: 3000, concurrency: 32, durationMs: 8000 }

/**
 * @param {Agent} agent
 * @param {URL} url
 * @param {string} worker
 * @returns {Promise<{ status: number, agentId: string | null }>}
 */
function register(agent, url, worker) {
  const body = JSON.stringify({
    provider_data: { worker_name: worker, agent_registration_id: `bench-${worker}` },
    client_timestamp: Date.now() / 1000,
  })
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        let text = ''
        response.setEncoding('utf8')
        response.on('data', (chunk) => (text += chunk))
        response.on('end', () => {
          const agentId = response.statusCode === 200 ? JSON.parse(text).data.agent_id : null
          resolve({ status: response.statusCode ?? 0, agentId })
        })
      },
    )
    outgoing.setTimeout(10_000, () => outgoing.destroy(new Error('request timed out')))
    outgoing.on('error', reject)
    outgoing.end(body)
  })
}

// `--profile` writes V8 CPU profiles of both children to bench/results/profiles/.
const profileArgs = process.argv.includes('--profile')
  ? ['--cpu-prof', `--cpu-prof-dir=${new URL('./results/profiles/', import.meta.url).pathname}`]
  : []
const token = randomBytes(24).toString('hex')
const router = await startChild('router-server', {
  env: { FAUST_BENCH_TOKEN: token },
  execArgv: profileArgs,
})
const backend = await startChild('backend-server', {
  env: {
    FAUST_BENCH_TOKEN: token,
    FAUST_BENCH_SOCKET_URL: String(router.ready['socketUrl']),
    FAUST_BENCH_HTTP_URL: String(router.ready['url']),
    FAUST_BENCH_UNITS: String(shape.units),
  },
  timeoutMs: 120_000,
  execArgv: profileArgs,
})
const url = new URL(`${String(router.ready['url'])}/request_agent`)
const agent = new Agent({ keepAlive: true, maxSockets: shape.concurrency })
let workerCount = 0
let failures = 0

try {
  // Latency: one registration at a time, each a new worker.
  const latencies = []
  for (let index = 0; index < shape.warmup + shape.samples; index++) {
    const started = nowMs()
    const answer = await register(agent, url, `w${String(workerCount++)}`)
    const elapsed = nowMs() - started
    if (answer.agentId === null) failures++
    if (index >= shape.warmup) latencies.push(elapsed)
  }
  const latency = summarize(latencies)

  // Throughput: `concurrency` registrations in flight for a fixed time.
  // CPU time per registration is reported beside it: unlike the rates, it
  // hardly moves when other work shares this machine's cores.
  const cpuBefore = await Promise.all([router.request('cpu'), backend.request('cpu')])
  let completed = 0
  const deadline = nowMs() + shape.durationMs
  const started = nowMs()
  await Promise.all(
    Array.from({ length: shape.concurrency }, async () => {
      while (nowMs() < deadline) {
        const answer = await register(agent, url, `w${String(workerCount++)}`)
        if (answer.agentId === null) failures++
        else completed++
      }
    }),
  )
  const perSecond = completed / ((nowMs() - started) / 1000)
  const cpuAfter = await Promise.all([router.request('cpu'), backend.request('cpu')])
  const [routerCpuUs, backendCpuUs] = cpuAfter.map(
    (after, index) =>
      (after.user + after.system - cpuBefore[index].user - cpuBefore[index].system) /
      Math.max(1, completed),
  )
  const check = await backend.request('verify')

  const rows = [
    ['registration round trip p50 (ms)', latency.p50.toFixed(3), '< 3', latency.p50 < 3],
    ['registration round trip p90 (ms)', latency.p90.toFixed(3), '—', undefined],
    ['registration round trip p99 (ms)', latency.p99.toFixed(3), '—', undefined],
    ['sustained registrations per second', perSecond.toFixed(0), '≥ 1000', perSecond >= 1000],
    ['backend CPU per registration (µs)', backendCpuUs.toFixed(0), '—', undefined],
    ['router CPU per registration (µs)', routerCpuUs.toFixed(0), '—', undefined],
    [
      'agents created / distinct units',
      `${String(check.agents)} / ${String(check.distinctUnits)}`,
      'equal',
      check.agents === check.distinctUnits,
    ],
    ['refused registrations', String(failures), '0', failures === 0],
  ]
  console.log(
    `\nFaust backend benchmark (${quick ? 'quick' : 'full'}), Node ${process.version}, ${String(os.cpus().length)} cores\n`,
  )
  console.log('| metric | value | target | result |\n| --- | ---: | --- | --- |')
  for (const [metric, value, target, pass] of rows) {
    console.log(
      `| ${metric} | ${value} | ${target} | ${pass === undefined ? '—' : pass ? 'PASS' : 'FAIL'} |`,
    )
  }
  const resultsDir = new URL('./results/', import.meta.url)
  await mkdir(resultsDir, { recursive: true })
  const file = new URL(
    `backend-${new Date()
      .toISOString()
      .replaceAll(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')}.json`,
    resultsDir,
  )
  await writeFile(
    file,
    `${JSON.stringify({ shape, latency, perSecond, backendCpuUs, routerCpuUs, check, failures, node: process.version }, null, 2)}\n`,
  )
  console.log(`\nwrote ${file.pathname}`)
} finally {
  agent.destroy()
  await backend.stop()
  await router.stop()
}
