// Router benchmark: `npm run build && npm run bench:router` (add `-- --quick`
// for a ~12 s smoke run, `-- --cpu-prof` to profile the router child).
//
// The router, its backend and the baseline servers each run in a child
// process, so the load generator (this process) never shares an event loop
// with what it measures. Every figure is printed beside a baseline measured in
// the same run, and the full results are saved under bench/results/.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { benchLiveLatency, benchMemory, benchRequests, benchThroughput } from './lib/phases.js'
import { formatTable, ratioOf, relayRatioOf, saveReport } from './lib/report.js'
import { nowMs } from './lib/stats.js'
import { createTargets } from './lib/targets.js'

/** @typedef {import('./lib/report.js').Row} Row */

const FULL = {
  http: {
    rounds: 3,
    warmup: 1000,
    samples: 6000,
    concurrency: 32,
    warmupMs: 500,
    durationMs: 4500,
  },
  live: { rounds: 3, warmup: 1000, samples: 6000 },
  throughput: {
    agentCounts: [100, 1000],
    rounds: 3,
    window: 8,
    warmupMs: 500,
    durationMs: 4500,
    heartbeatEveryMs: 5000,
  },
  memory: { agents: 5000, heartbeatEveryMs: 5000, settleMs: 1000 },
}
const QUICK = {
  http: { rounds: 1, warmup: 100, samples: 200, concurrency: 32, warmupMs: 100, durationMs: 300 },
  live: { rounds: 1, warmup: 100, samples: 200 },
  throughput: {
    agentCounts: [10, 50],
    rounds: 1,
    window: 8,
    warmupMs: 100,
    durationMs: 300,
    heartbeatEveryMs: 5000,
  },
  memory: { agents: 100, heartbeatEveryMs: 5000, settleMs: 100 },
}
/** The brief's ceiling is ~4 minutes; a hung phase must not outlive it. */
const DEADLINE_MS = 235_000
/** File descriptors beyond the agents' sockets: children, pipes, the backend. */
const SPARE_FDS = 512

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
  },
})
const config = structuredClone(flags.quick ? QUICK : FULL)
const cpuProfileDir = flags['cpu-prof'] ? `${os.tmpdir()}/faust-bench-profiles` : undefined
const targets = createTargets({ cpuProfileDir })

/**
 * Node raises its soft open-file limit to the hard limit when it starts, so
 * what a shell here reports is what this process and its children have; only
 * a higher hard limit (root, `ulimit -Hn`) could give more.
 *
 * @returns {{ soft: number, hard: number }}
 */
function fileLimits() {
  const [soft = '0', hard = '0'] = execFileSync('sh', ['-c', 'ulimit -Sn; ulimit -Hn'], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
  const parse = (/** @type {string} */ text) => (text === 'unlimited' ? Infinity : Number(text))
  return { soft: parse(soft), hard: parse(hard) }
}

/**
 * @typedef {object} Results
 * @property {Awaited<ReturnType<typeof benchRequests>>} http
 * @property {Awaited<ReturnType<typeof benchLiveLatency>>} live
 * @property {Awaited<ReturnType<typeof benchThroughput>>[]} throughput
 * @property {Awaited<ReturnType<typeof benchMemory>>} memory
 */

/**
 * @param {Results} results
 * @returns {Row[]}
 */
function buildRows({ http, live, throughput, memory }) {
  /** @type {Row[]} */
  const rows = []
  const ms = { unit: 'ms', digits: 3 }
  const percentiles = /** @type {const} */ (['p50', 'p90', 'p99'])
  for (const p of percentiles) {
    const router = http.router.latencyMs[p]
    rows.push({
      metric: `/request_agent ${p}`,
      router,
      baseline: http.baseline.latencyMs[p],
      ...ms,
      ...(p === 'p50' ? { target: 'router < 1 ms', pass: router < 1 } : {}),
    })
  }
  rows.push({
    metric: `/request_agent, ${String(config.http.concurrency)} in flight`,
    router: http.router.rate.perSecond,
    baseline: http.baseline.rate.perSecond,
    unit: 'req/s',
    digits: 0,
  })
  // A one-way leg crosses two hops (agent→router→backend); its baseline is
  // one hop, estimated as half the raw echo round trip.
  for (const [name, leg] of /** @type {const} */ ([
    ['agent→backend', 'agentToBackendMs'],
    ['backend→agent', 'backendToAgentMs'],
  ])) {
    for (const p of percentiles) {
      rows.push({
        metric: `live ${name} one way ${p}`,
        router: live.router[leg][p],
        baseline: live.baseline.roundTripMs[p] / 2,
        relay: live.relay[leg][p],
        ...ms,
      })
    }
  }
  for (const p of percentiles) {
    const row = {
      metric: `live round trip ${p}`,
      router: live.router.roundTripMs[p],
      baseline: live.baseline.roundTripMs[p],
      relay: live.relay.roundTripMs[p],
      ...ms,
    }
    const limit = { p50: 2, p90: undefined, p99: 3 }[p]
    const ratio = ratioOf(row)
    rows.push(
      limit === undefined || ratio === null
        ? row
        : { ...row, target: `≤ ${String(limit)}× baseline`, pass: ratio <= limit },
    )
  }
  const largest = Math.max(...throughput.map((run) => run.agents))
  for (const run of throughput) {
    const shape = `${String(run.agents)} agents × ${String(run.window)} in flight`
    const row = {
      metric: `round trips, ${shape}`,
      router: run.router.perSecond,
      baseline: run.baseline.perSecond,
      relay: run.relay.perSecond,
      unit: '/s',
      digits: 0,
    }
    const ratio = ratioOf(row)
    rows.push(
      run.agents === largest && ratio !== null
        ? { ...row, target: '≥ 0.80× baseline', pass: ratio >= 0.8 }
        : row,
    )
  }
  // CPU time per round trip of the process in the middle: steadier than
  // rates when other work shares the machine.
  for (const run of throughput) {
    rows.push({
      metric: `server CPU per round trip, ${String(run.agents)} agents`,
      router: run.router.cpu.usPerRoundTrip['router'] ?? null,
      baseline: run.baseline.cpu.usPerRoundTrip['echo'] ?? null,
      relay: run.relay.cpu.usPerRoundTrip['relay'] ?? null,
      unit: 'µs',
      digits: 1,
    })
  }
  const idle = `${String(memory.agents)} idle agents`
  const perAgent = memory.router.perAgentKiB
  const perConnection = memory.baseline.perConnectionKiB
  rows.push(
    {
      metric: `memory per agent, rss, ${idle}`,
      router: perAgent.rss,
      baseline: perConnection.rss,
      unit: 'KiB',
      digits: 1,
      target: '≤ 12 KiB',
      pass: perAgent.rss <= 12,
    },
    {
      metric: `memory per agent, heapUsed, ${idle}`,
      router: perAgent.heapUsed,
      baseline: perConnection.heapUsed,
      unit: 'KiB',
      digits: 1,
    },
  )
  return rows
}

async function main() {
  const startedAt = new Date()
  const started = nowMs()
  const routerEntry = fileURLToPath(import.meta.resolve('@faust/router'))
  if (!existsSync(routerEntry)) throw new Error(`${routerEntry} is missing: run npm run build`)
  const limits = fileLimits()
  const needed = config.memory.agents + SPARE_FDS
  /** @type {string[]} */
  const notes = []
  if (limits.soft < needed) {
    config.memory.agents = Math.max(100, limits.soft - SPARE_FDS)
    notes.push(
      `open-file limit ${String(limits.soft)} < ${String(needed)}: memory phase reduced (raise ulimit -Hn)`,
    )
  }
  // A busy machine (other builds, tests) shows up as noise in every figure.
  const loadAtStart = os.loadavg()
  if ((loadAtStart[0] ?? 0) > 0.5) {
    notes.push(`1-minute load average was ${(loadAtStart[0] ?? 0).toFixed(2)} at the start`)
  }

  const mode = flags.quick ? 'quick' : 'full'
  console.log(
    `router benchmark (${mode}), Node ${process.version}, ${String(os.cpus().length)} CPUs`,
  )
  console.log(`open files: soft ${String(limits.soft)}, hard ${String(limits.hard)}`)

  /**
   * @template T
   * @param {string} label
   * @param {() => Promise<T>} run
   * @returns {Promise<T>}
   */
  const step = async (label, run) => {
    const at = nowMs()
    process.stdout.write(`  ${label} … `)
    const result = await run()
    console.log(`${((nowMs() - at) / 1000).toFixed(1)} s`)
    return result
  }
  const http = await step('/request_agent latency and rate', () =>
    benchRequests(targets, config.http),
  )
  const live = await step('live update latency', () => benchLiveLatency(targets, config.live))
  const throughput = []
  for (const agents of config.throughput.agentCounts) {
    throughput.push(
      await step(`throughput, ${String(agents)} agents`, () =>
        benchThroughput(targets, { ...config.throughput, agents }),
      ),
    )
  }
  const memory = await step(`memory, ${String(config.memory.agents)} idle agents`, () =>
    benchMemory(targets, config.memory),
  )
  const loadAtEnd = os.loadavg()
  const busiest = Math.max(
    ...throughput.flatMap((run) =>
      [run.router, run.relay, run.baseline].map(
        (side) => side.cpu.percentOfCore['otherProcesses'] ?? 0,
      ),
    ),
  )
  if (busiest > 25) {
    notes.push(`other processes used up to ${String(busiest)}% of a core during throughput runs`)
  }

  const rows = buildRows({ http, live, throughput, memory })
  const judged = rows.filter((row) => row.pass !== undefined)
  const passed = judged.filter((row) => row.pass === true)
  console.log(`\n${formatTable(rows)}\n`)
  console.log(
    'One-way baselines: half the raw ws echo round trip (one hop; the router path has two).',
  )
  console.log('min. relay: bench/servers/relay-server.js, routing only, with the same backend.')
  for (const run of throughput) {
    const sides = /** @type {const} */ (['router', 'relay', 'baseline'])
    const cpu = sides.map((side) => `${side} ${JSON.stringify(run[side].cpu.percentOfCore)}`)
    console.log(`CPU % of one core, ${String(run.agents)} agents: ${cpu.join('; ')}`)
  }
  console.log(`load average: ${loadAtStart.join(', ')} at start; ${loadAtEnd.join(', ')} at end`)
  for (const note of notes) console.log(`note: ${note}`)
  console.log(
    `targets: ${String(passed.length)}/${String(judged.length)} pass${flags.quick ? ' (quick run: indicative only)' : ''}`,
  )

  const path = await saveReport(new URL('results/', import.meta.url), {
    benchmark: 'router',
    mode,
    startedAt: startedAt.toISOString(),
    durationSeconds: (nowMs() - started) / 1000,
    command: ['node', ...process.execArgv, 'bench/router-bench.js', ...process.argv.slice(2)].join(
      ' ',
    ),
    machine: {
      node: process.version,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      totalMemoryMiB: Math.round(os.totalmem() / 1024 / 1024),
      openFiles: limits,
      loadAverage: { start: loadAtStart, end: loadAtEnd },
    },
    config,
    notes,
    table: rows.map((row) => ({ ...row, ratio: ratioOf(row), relayRatio: relayRatioOf(row) })),
    results: { http, live, throughput, memory },
  })
  console.log(`results: ${path}`)
  if (cpuProfileDir !== undefined) console.log(`router CPU profiles: ${cpuProfileDir}`)
}

const deadline = setTimeout(() => {
  console.error(`\nthe benchmark exceeded ${String(DEADLINE_MS / 1000)} s; stopping`)
  void targets.stopAll().finally(() => process.exit(2))
}, DEADLINE_MS)
let exitCode = 0
try {
  await main()
} catch (error) {
  console.error(error)
  exitCode = 1
} finally {
  await targets.stopAll()
  clearTimeout(deadline)
}
// Sockets or timers left by a failed phase must not keep the script alive.
process.exit(exitCode)
