// The four measurements. Each starts its own targets, so no phase inherits
// another's agents, and runs its targets in alternating rounds, so a busy
// neighbour or a CPU-frequency change hits every side alike.
import os from 'node:os'
import {
  closeAgents,
  connectAgent,
  connectAgents,
  measureRoundTrips,
  measureThroughput,
  startHeartbeats,
} from './agents.js'
import { measureRequestLatency, measureRequestThroughput } from './http-load.js'
import { nowMs, sleep, summarize } from './stats.js'

/** @typedef {import('./agents.js').BenchAgent} BenchAgent */
/** @typedef {import('./child-process.js').BenchChild} BenchChild */
/** @typedef {import('./targets.js').Targets} Targets */
/** @typedef {{ atMs: number, cpu: NodeJS.CpuUsage[], machineBusyUs: number }} CpuSample */
/** @typedef {Awaited<ReturnType<typeof measureThroughput<CpuSample>>>} ThroughputRun */

const KiB = 1024

/**
 * Runs `rounds` rounds of every run, in the order given.
 *
 * @template {Record<string, (round: number) => Promise<unknown>>} Runs
 * @param {number} rounds
 * @param {Runs} runs
 * @returns {Promise<{ [K in keyof Runs]: Awaited<ReturnType<Runs[K]>>[] }>}
 */
async function alternate(rounds, runs) {
  /** @type {Record<string, unknown[]>} */
  const results = {}
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(runs)) {
      ;(results[name] ??= []).push(await run(round))
    }
  }
  return /** @type {any} */ (results)
}

/**
 * The first round warms the JIT and the connections; later rounds only
 * re-warm the new connection.
 *
 * @param {{ warmup: number, samples: number, rounds: number }} shape
 * @param {number} round
 */
function roundCounts({ warmup, samples, rounds }, round) {
  return {
    warmup: round === 0 ? warmup : Math.ceil(warmup / 10),
    samples: Math.ceil(samples / rounds),
  }
}

/** @returns {number} CPU time every process on the machine has used, in microseconds */
function machineBusyUs() {
  let busyMs = 0
  for (const { times } of os.cpus()) busyMs += times.user + times.nice + times.sys + times.irq
  return busyMs * 1000
}

/**
 * @param {BenchChild[]} children
 * @returns {() => Promise<CpuSample>} CPU time of the load generator, then of each child
 */
function cpuSampler(children) {
  return async () => {
    const cpu = [process.cpuUsage(), ...(await Promise.all(children.map((c) => c.request('cpu'))))]
    return { atMs: nowMs(), cpu, machineBusyUs: machineBusyUs() }
  }
}

/**
 * CPU per process while round trips were counted. Time per round trip is the
 * figure a busy machine disturbs least; `otherProcesses` is what the rest of
 * the machine took meanwhile, to judge how disturbed the run was.
 *
 * @param {ThroughputRun[]} runs one per round
 * @param {string[]} names the load generator's, then each child's
 */
function cpuReport(runs, names) {
  const elapsedUs =
    runs.reduce((total, { samples: [first, last] }) => total + (last.atMs - first.atMs), 0) * 1000
  const roundTrips = runs.reduce((total, run) => total + run.roundTrips, 0)
  /** @type {Record<string, number>} */
  const percentOfCore = {}
  /** @type {Record<string, number>} */
  const usPerRoundTrip = {}
  let oursUs = 0
  for (const [index, name] of names.entries()) {
    let usedUs = 0
    for (const {
      samples: [first, last],
    } of runs) {
      const start = /** @type {NodeJS.CpuUsage} */ (first.cpu[index])
      const end = /** @type {NodeJS.CpuUsage} */ (last.cpu[index])
      usedUs += end.user - start.user + (end.system - start.system)
    }
    oursUs += usedUs
    percentOfCore[name] = Math.round((usedUs / elapsedUs) * 100)
    usPerRoundTrip[name] = usedUs / roundTrips
  }
  const machineUs = runs.reduce(
    (total, { samples: [first, last] }) => total + (last.machineBusyUs - first.machineBusyUs),
    0,
  )
  // The machine counter ticks in 10 ms steps, so a small negative is rounding.
  percentOfCore['otherProcesses'] = Math.max(
    0,
    Math.round(((machineUs - oursUs) / elapsedUs) * 100),
  )
  return { percentOfCore, usPerRoundTrip }
}

/**
 * @param {string} prefix
 * @param {number} count
 */
function agentIds(prefix, count) {
  return Array.from({ length: count }, (_, index) => `${prefix}-${String(index)}`)
}

/**
 * @param {{ requests: number, seconds: number, failures: number }[]} runs
 */
function combineRates(runs) {
  const requests = runs.reduce((total, run) => total + run.requests, 0)
  const seconds = runs.reduce((total, run) => total + run.seconds, 0)
  const failures = runs.reduce((total, run) => total + run.failures, 0)
  return { requests, seconds, perSecond: requests / seconds, failures }
}

/**
 * 1. POST /request_agent through router and backend, against plain node:http.
 *
 * @param {Targets} targets
 * @param {{ rounds: number, warmup: number, samples: number, concurrency: number, warmupMs: number, durationMs: number }} shape
 */
export async function benchRequests(targets, shape) {
  const echo = await targets.startEcho()
  const stack = await targets.startRouterStack()
  try {
    const latency = await alternate(shape.rounds, {
      baseline: (round) => measureRequestLatency(echo.url, roundCounts(shape, round)),
      router: (round) => measureRequestLatency(stack.url, roundCounts(shape, round)),
    })
    const rateShape = { ...shape, durationMs: shape.durationMs / shape.rounds }
    const rate = await alternate(shape.rounds, {
      baseline: () => measureRequestThroughput(echo.url, rateShape),
      router: () => measureRequestThroughput(stack.url, rateShape),
    })
    const summary = (/** @type {'router' | 'baseline'} */ side) => ({
      latencyMs: summarize(latency[side].flatMap((run) => run.latenciesMs)),
      latencyFailures: latency[side].reduce((total, run) => total + run.failures, 0),
      rate: combineRates(rate[side]),
    })
    return { router: summary('router'), baseline: summary('baseline') }
  } finally {
    await stack.stop()
    await echo.stop()
  }
}

/**
 * @param {import('./agents.js').RoundTripSamples[]} runs
 */
function legs(runs) {
  return {
    roundTripMs: summarize(runs.flatMap((run) => run.roundTripMs)),
    agentToBackendMs: summarize(runs.flatMap((run) => run.toBackendMs)),
    backendToAgentMs: summarize(runs.flatMap((run) => run.fromBackendMs)),
  }
}

/**
 * 2. One live update in flight: each leg through the router (and through the
 * minimal relay), and the raw ws echo round trip.
 *
 * @param {Targets} targets
 * @param {{ rounds: number, warmup: number, samples: number }} shape
 */
export async function benchLiveLatency(targets, shape) {
  const echo = await targets.startEcho()
  const relay = await targets.startRelayStack()
  const stack = await targets.startRouterStack()
  /** @type {BenchAgent[]} */
  const agents = []
  try {
    await stack.admit(['live-agent'])
    const connect = async (/** @type {string} */ url, /** @type {string} */ id) => {
      const agent = await connectAgent(url, id)
      agents.push(agent)
      return agent
    }
    const echoAgent = await connect(echo.socketUrl, 'echo-agent')
    const relayAgent = await connect(relay.socketUrl, 'relay-agent')
    const routerAgent = await connect(stack.socketUrl, 'live-agent')
    const runs = await alternate(shape.rounds, {
      baseline: (round) => measureRoundTrips(echoAgent, roundCounts(shape, round)),
      relay: (round) => measureRoundTrips(relayAgent, roundCounts(shape, round)),
      router: (round) => measureRoundTrips(routerAgent, roundCounts(shape, round)),
    })
    return {
      router: legs(runs.router),
      relay: legs(runs.relay),
      baseline: { roundTripMs: summarize(runs.baseline.flatMap((run) => run.roundTripMs)) },
    }
  } finally {
    closeAgents(agents)
    await stack.stop()
    await relay.stop()
    await echo.stop()
  }
}

/**
 * @param {ThroughputRun[]} runs
 * @param {string[]} processes
 */
function combineThroughput(runs, processes) {
  const roundTrips = runs.reduce((total, run) => total + run.roundTrips, 0)
  const seconds = runs.reduce((total, run) => total + run.seconds, 0)
  return {
    roundTrips,
    seconds,
    perSecond: roundTrips / seconds,
    perSecondByRound: runs.map((run) => Math.round(run.perSecond)),
    lost: runs.reduce((total, run) => total + run.lost, 0),
    cpu: cpuReport(runs, processes),
  }
}

/**
 * 3. Many agents, each keeping a window of live updates in flight.
 *
 * @param {Targets} targets
 * @param {{ agents: number, rounds: number, window: number, warmupMs: number, durationMs: number, heartbeatEveryMs: number }} shape
 */
export async function benchThroughput(targets, shape) {
  const ids = agentIds('load-agent', shape.agents)
  const roundShape = { ...shape, durationMs: shape.durationMs / shape.rounds }
  const echo = await targets.startEcho()
  const relay = await targets.startRelayStack()
  const stack = await targets.startRouterStack()
  /** @type {BenchAgent[][]} */
  const groups = []
  /** @type {(() => void)[]} */
  const stopHeartbeats = []
  try {
    await stack.admit(ids)
    for (const url of [echo.socketUrl, relay.socketUrl, stack.socketUrl]) {
      const group = await connectAgents(url, ids)
      groups.push(group)
      // Each group waits through the others' rounds; without heartbeats the
      // router would mark its agents disconnected after 15 s. Every group
      // heartbeats so that all sides carry the same extra traffic.
      stopHeartbeats.push(startHeartbeats(group, shape.heartbeatEveryMs))
    }
    const [echoAgents = [], relayAgents = [], routerAgents = []] = groups
    const runs = await alternate(shape.rounds, {
      baseline: () => measureThroughput(echoAgents, roundShape, cpuSampler([echo.echo])),
      relay: () =>
        measureThroughput(relayAgents, roundShape, cpuSampler([relay.router, relay.backend])),
      router: () =>
        measureThroughput(routerAgents, roundShape, cpuSampler([stack.router, stack.backend])),
    })
    return {
      agents: shape.agents,
      window: shape.window,
      router: combineThroughput(runs.router, ['loadGenerator', 'router', 'backend']),
      relay: combineThroughput(runs.relay, ['loadGenerator', 'relay', 'backend']),
      baseline: combineThroughput(runs.baseline, ['loadGenerator', 'echo']),
    }
  } finally {
    for (const stopBeating of stopHeartbeats) stopBeating()
    closeAgents(groups.flat())
    await stack.stop()
    await relay.stop()
    await echo.stop()
  }
}

/**
 * @param {NodeJS.MemoryUsage} before
 * @param {NodeJS.MemoryUsage} after
 * @param {number} count
 * @returns {{ rss: number, heapUsed: number, external: number }} KiB per connection
 */
function perConnectionKiB(before, after, count) {
  const per = (/** @type {keyof NodeJS.MemoryUsage} */ key) =>
    (after[key] - before[key]) / count / KiB
  return { rss: per('rss'), heapUsed: per('heapUsed'), external: per('external') }
}

/**
 * Idle agents connect, say `alive`, then only heartbeat; the server reports
 * its own memory before and after.
 *
 * @param {BenchChild} server
 * @param {string} socketUrl
 * @param {{ ids: string[], heartbeatEveryMs: number, settleMs: number }} shape
 */
async function idleConnectionsMemory(server, socketUrl, { ids, heartbeatEveryMs, settleMs }) {
  /** @type {NodeJS.MemoryUsage} */
  const before = await server.request('memory')
  const connectStartMs = nowMs()
  const agents = await connectAgents(socketUrl, ids)
  const connectSeconds = (nowMs() - connectStartMs) / 1000
  const stopHeartbeats = startHeartbeats(agents, heartbeatEveryMs)
  try {
    await sleep(settleMs)
    /** @type {NodeJS.MemoryUsage} */
    const after = await server.request('memory')
    // Taken while the agents are still connected; the echo server has no stats.
    /** @type {unknown} */
    const stats = await server.request('stats').catch(() => null)
    return { before, after, connectSeconds, stats }
  } finally {
    stopHeartbeats()
    closeAgents(agents)
  }
}

/**
 * 4. Memory of idle connected agents, measured inside each server process.
 * One target at a time: memory is not disturbed by a busy neighbour, and
 * the load generator then holds only one set of sockets.
 *
 * @param {Targets} targets
 * @param {{ agents: number, heartbeatEveryMs: number, settleMs: number }} shape
 */
export async function benchMemory(targets, shape) {
  const ids = agentIds('idle-agent', shape.agents)
  const idle = { ...shape, ids }

  const echoTarget = await targets.startEcho()
  /** @type {Awaited<ReturnType<typeof idleConnectionsMemory>>} */
  let echo
  try {
    echo = await idleConnectionsMemory(echoTarget.echo, echoTarget.socketUrl, idle)
  } finally {
    await echoTarget.stop()
  }

  const stack = await targets.startRouterStack()
  try {
    /** @type {NodeJS.MemoryUsage} */
    const beforeAdmission = await stack.router.request('memory')
    await stack.admit(ids)
    const router = await idleConnectionsMemory(stack.router, stack.socketUrl, idle)
    return {
      agents: shape.agents,
      router: {
        ...router,
        beforeAdmission,
        // Socket plus the agent's record and admission: what an idle worker costs.
        perAgentKiB: perConnectionKiB(beforeAdmission, router.after, shape.agents),
        // The socket alone: the agents were already admitted before and after.
        perSocketKiB: perConnectionKiB(router.before, router.after, shape.agents),
      },
      baseline: {
        ...echo,
        perConnectionKiB: perConnectionKiB(echo.before, echo.after, shape.agents),
      },
    }
  } finally {
    await stack.stop()
  }
}
