// `npm run bench:live`: simulated pairs of workers chatting through the
// router and the backend at once. Each worker sends one message a second;
// the backend's run function relays it to the partner (page → router →
// backend → router → page), storing it on the way. Latency is taken worker to
// worker on this process's monotonic clock. A plain `ws` relay carrying the
// same traffic (page → relay → page) is measured in the same run.
import { randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { Agent, request } from 'node:http'
import os from 'node:os'
import { WebSocket } from 'ws'
import { startChild } from './lib/child-process.js'
import { nowMs, sleep, summarize } from './lib/stats.js'

const quick = process.argv.includes('--quick')
const shape = quick
  ? { pairs: 100, warmupMs: 2000, durationMs: 5000, messageEveryMs: 1000 }
  : { pairs: 500, warmupMs: 3000, durationMs: 20_000, messageEveryMs: 1000 }
const HEARTBEAT_EVERY_MS = 5000
const TARGET_P99_MS = 20

/**
 * @typedef {object} Worker
 * @property {string} id the agent id (Faust) or the client id (baseline)
 * @property {WebSocket} socket
 * @property {(sentAt: number, sequence: number) => string} frame one message as this worker sends it
 * @property {number} nextSendAt
 */

/**
 * @typedef {object} Traffic
 * @property {number[]} latencies ms, for messages sent inside the measured window
 * @property {number} sent messages sent inside the window
 * @property {number} received of those, how many arrived
 */

/**
 * Sends one message per worker every `messageEveryMs` (each worker at its own
 * phase) for warm-up plus duration; collects the latencies of what was sent
 * after the warm-up.
 *
 * @param {readonly Worker[]} workers
 * @param {(data: string) => number | undefined} sentAtOf the `sent_at` in a received frame, if it is a relayed message
 * @returns {Promise<Traffic>}
 */
async function chat(workers, sentAtOf) {
  const started = nowMs()
  const windowStart = started + shape.warmupMs
  const windowEnd = windowStart + shape.durationMs
  /** @type {number[]} */
  const latencies = []
  let sent = 0
  for (const worker of workers) {
    worker.nextSendAt = started + Math.random() * shape.messageEveryMs
    worker.socket.on('message', (/** @type {Buffer} */ data) => {
      const arrived = nowMs()
      const sentAt = sentAtOf(data.toString('utf8'))
      if (sentAt !== undefined && sentAt >= windowStart && sentAt < windowEnd)
        latencies.push(arrived - sentAt)
    })
  }
  let sequence = 0
  const timer = setInterval(() => {
    const now = nowMs()
    if (now >= windowEnd) return
    for (const worker of workers) {
      if (worker.nextSendAt > now) continue
      worker.nextSendAt += shape.messageEveryMs
      if (worker.socket.readyState !== WebSocket.OPEN) continue
      if (now >= windowStart) sent++
      worker.socket.send(worker.frame(now, sequence++))
    }
  }, 5)
  await sleep(shape.warmupMs + shape.durationMs)
  clearInterval(timer)
  // Stragglers: anything not in after a second more counts as lost.
  await sleep(1000)
  return { latencies, sent, received: latencies.length }
}

/**
 * @param {string} url
 * @returns {Promise<WebSocket>}
 */
function openSocket(url) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false })
    socket.once('open', () => resolve(socket))
    socket.once('error', reject)
  })
}

/** The baseline: every worker on one plain relay, paired 2k with 2k+1. */
async function baseline() {
  const relay = await startChild('pair-relay-server')
  const url = String(relay.ready['url'])
  /** @type {Worker[]} */
  const workers = []
  try {
    for (let index = 0; index < shape.pairs * 2; index++) {
      const id = `c${String(index)}`
      const partner = `c${String(index ^ 1)}`
      const socket = await openSocket(`${url}?id=${id}`)
      socket.on('error', () => undefined)
      workers.push({
        id,
        socket,
        nextSendAt: 0,
        frame: (sentAt, sequence) =>
          JSON.stringify({ to: partner, text: `message ${String(sequence)}`, sent_at: sentAt }),
      })
    }
    const before = await relay.request('cpu')
    const traffic = await chat(workers, (text) => JSON.parse(text).sent_at)
    const after = await relay.request('cpu')
    return { traffic, cpuMs: { relay: cpuMs(before, after) } }
  } finally {
    for (const worker of workers) worker.socket.terminate()
    await relay.stop()
  }
}

/**
 * @param {{ user: number, system: number }} before
 * @param {{ user: number, system: number }} after
 */
function cpuMs(before, after) {
  return (after.user + after.system - before.user - before.system) / 1000
}

/**
 * Registers like a worker's page (POST /request_agent).
 *
 * @param {Agent} httpAgent
 * @param {URL} url
 * @param {number} index
 * @returns {Promise<string>} the agent id
 */
function register(httpAgent, url, index) {
  const body = JSON.stringify({
    provider_data: {
      worker_name: `w${String(index)}`,
      agent_registration_id: `live-${String(index)}`,
    },
    client_timestamp: Date.now() / 1000,
  })
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        agent: httpAgent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        let text = ''
        response.setEncoding('utf8')
        response.on('data', (chunk) => (text += chunk))
        response.on('end', () => {
          const agentId = JSON.parse(text)?.data?.agent_id
          if (response.statusCode === 200 && typeof agentId === 'string') resolve(agentId)
          else reject(new Error(`registration ${String(index)} refused: ${text}`))
        })
      },
    )
    outgoing.setTimeout(10_000, () => outgoing.destroy(new Error('registration timed out')))
    outgoing.on('error', reject)
    outgoing.end(body)
  })
}

/**
 * Connects an agent's socket (`alive`) and waits until it is `in task`,
 * i.e. paired, answering nothing else.
 *
 * @param {string} socketUrl
 * @param {string} agentId
 * @returns {Promise<WebSocket>}
 */
async function joinTask(socketUrl, agentId) {
  const socket = await openSocket(socketUrl)
  socket.on('error', () => undefined)
  socket.send(JSON.stringify({ packet_type: 'alive', subject_id: agentId, data: {} }))
  return socket
}

/** @param {WebSocket} socket */
function inTask(socket) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('an agent was never paired')), 60_000)
    const onMessage = (/** @type {Buffer} */ data) => {
      const packet = JSON.parse(data.toString('utf8'))
      if (packet.packet_type === 'update_status' && packet.data?.status === 'in task') {
        clearTimeout(timer)
        socket.off('message', onMessage)
        resolve(undefined)
      }
    }
    socket.on('message', onMessage)
  })
}

/** Faust: router and backend each in a child process. */
async function faust() {
  const token = randomBytes(24).toString('hex')
  const router = await startChild('router-server', { env: { FAUST_BENCH_TOKEN: token } })
  const backend = await startChild('live-backend-server', {
    env: {
      FAUST_BENCH_TOKEN: token,
      FAUST_BENCH_SOCKET_URL: String(router.ready['socketUrl']),
      FAUST_BENCH_HTTP_URL: String(router.ready['url']),
      FAUST_BENCH_PAIRS: String(shape.pairs),
    },
    timeoutMs: 60_000,
  })
  const socketUrl = String(router.ready['socketUrl'])
  const httpAgent = new Agent({ keepAlive: true, maxSockets: 16 })
  /** @type {Worker[]} */
  const workers = []
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let heartbeats
  try {
    const url = new URL(`${String(router.ready['url'])}/request_agent`)
    // From the start: pairing a thousand workers takes a while, and a page
    // silent for 15 s is marked disconnected.
    heartbeats = setInterval(() => {
      for (const worker of workers) {
        if (worker.socket.readyState !== WebSocket.OPEN) continue
        worker.socket.send(
          JSON.stringify({
            packet_type: 'heartbeat',
            subject_id: worker.id,
            client_timestamp: Date.now() / 1000,
          }),
        )
      }
    }, HEARTBEAT_EVERY_MS)
    const paired = []
    for (let index = 0; index < shape.pairs * 2; index++) {
      const agentId = await register(httpAgent, url, index)
      const socket = await joinTask(socketUrl, agentId)
      paired.push(inTask(socket))
      workers.push({
        id: agentId,
        socket,
        nextSendAt: 0,
        frame: (sentAt, sequence) =>
          JSON.stringify({
            packet_type: 'mephisto_bound_live_update',
            subject_id: agentId,
            data: {
              update_id: `${agentId}-${String(sequence)}`,
              text: `message ${String(sequence)}`,
              sent_at: sentAt,
            },
            client_timestamp: Date.now() / 1000,
          }),
      })
    }
    await Promise.all(paired)
    const before = await Promise.all([router.request('cpu'), backend.request('cpu')])
    const traffic = await chat(workers, (text) => {
      const packet = JSON.parse(text)
      if (packet.packet_type !== 'client_bound_live_update') return undefined
      const sentAt = packet.data?.sent_at
      return typeof sentAt === 'number' ? sentAt : undefined
    })
    const after = await Promise.all([router.request('cpu'), backend.request('cpu')])
    return {
      traffic,
      cpuMs: { router: cpuMs(before[0], after[0]), backend: cpuMs(before[1], after[1]) },
    }
  } finally {
    clearInterval(heartbeats)
    for (const worker of workers) worker.socket.terminate()
    httpAgent.destroy()
    await backend.stop()
    await router.stop()
  }
}

const measured = { baseline: await baseline(), faust: await faust() }
const windowSeconds = shape.durationMs / 1000
/** @param {Traffic} traffic */
const describe = (traffic) => {
  const latency = summarize(traffic.latencies)
  return {
    latency,
    perSecond: traffic.received / windowSeconds,
    lost: traffic.sent - traffic.received,
  }
}
const base = describe(measured.baseline.traffic)
const ours = describe(measured.faust.traffic)
/** @param {Record<string, number>} cpu */
const cpuShare = (cpu) =>
  Object.entries(cpu)
    .map(
      ([name, ms]) =>
        `${name} ${((100 * ms) / (shape.durationMs + shape.warmupMs + 1000)).toFixed(0)}%`,
    )
    .join(', ')

console.log(
  `\nFaust live benchmark (${quick ? 'quick' : 'full'}): ${String(shape.pairs)} pairs, one message per worker per ${String(shape.messageEveryMs)} ms, ${String(windowSeconds)} s measured; Node ${process.version}, ${String(os.cpus().length)} cores\n`,
)
console.log(
  '| metric | Faust (page → router → backend → router → page) | plain ws relay (page → relay → page) |',
)
console.log('| --- | ---: | ---: |')
for (const key of /** @type {const} */ (['p50', 'p90', 'p99', 'max'])) {
  console.log(
    `| message latency ${key} (ms) | ${ours.latency[key].toFixed(2)} | ${base.latency[key].toFixed(2)} |`,
  )
}
console.log(
  `| messages delivered per second | ${ours.perSecond.toFixed(0)} | ${base.perSecond.toFixed(0)} |`,
)
console.log(`| messages lost | ${String(ours.lost)} | ${String(base.lost)} |`)
console.log(
  `| CPU of the serving processes | ${cpuShare(measured.faust.cpuMs)} | ${cpuShare(measured.baseline.cpuMs)} |`,
)
const pass = ours.latency.p99 < TARGET_P99_MS && ours.lost === 0
console.log(
  `\ntarget: p99 < ${String(TARGET_P99_MS)} ms with nothing lost: ${pass ? 'PASS' : 'FAIL'}`,
)

const resultsDir = new URL('./results/', import.meta.url)
await mkdir(resultsDir, { recursive: true })
const file = new URL(
  `live-${new Date()
    .toISOString()
    .replaceAll(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}.json`,
  resultsDir,
)
await writeFile(
  file,
  `${JSON.stringify({ shape, faust: { ...ours, cpuMs: measured.faust.cpuMs }, baseline: { ...base, cpuMs: measured.baseline.cpuMs }, node: process.version }, null, 2)}\n`,
)
console.log(`wrote ${file.pathname}`)
