// Churn benchmark: `npm run build && npm run bench:churn` (`-- --agents 5000`
// for a short run, `-- --with backend` for the backend figure). Agents
// register, open their page's socket, hand in their unit and leave, on
// concurrent lanes, through a real router (a child process). Its backend is
// either a minimal wire backend in this process (`--with wire`, the default:
// the router's own pace) or the real `runTask` backend with SQLite in another
// child (`--with backend`; its storage and progress refreshes set the pace).
// Memory is measured with garbage collected after the first 10 % and at the
// end: what the router and the backend keep per agent must be released when
// the agent's unit ends, so RSS at the end must be within 10 % of RSS at 10 %.
import { randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { Agent, request } from 'node:http'
import os from 'node:os'
import { parseArgs } from 'node:util'
import { WebSocket } from 'ws'
import { startChild } from './lib/child-process.js'
import { nowMs } from './lib/stats.js'
import { startWireBackend } from './lib/wire-backend.js'

const { values: flags } = parseArgs({
  options: {
    agents: { type: 'string', default: '100000' },
    lanes: { type: 'string', default: '32' },
    with: { type: 'string', default: 'wire' },
  },
})
if (flags.with !== 'wire' && flags.with !== 'backend') throw new Error('--with is wire or backend')
const total = Number(flags.agents)
const lanes = Number(flags.lanes)
const checkpoint = Math.round(total / 10)
/** RSS at the end may exceed RSS at the checkpoint by at most this share. */
const TOLERANCE = 0.1
const STEP_TIMEOUT_MS = 30_000
const MiB = 1024 * 1024

/**
 * @param {Agent} agent
 * @param {URL} url
 * @param {unknown} body
 * @returns {Promise<any>}
 */
function postJson(agent, url, body) {
  const text = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
      },
      (response) => {
        let answer = ''
        response.setEncoding('utf8')
        response.on('data', (chunk) => (answer += chunk))
        response.on('end', () => {
          if (response.statusCode !== 200) {
            reject(new Error(`${url.pathname} answered ${String(response.statusCode)}: ${answer}`))
            return
          }
          resolve(JSON.parse(answer))
        })
      },
    )
    outgoing.setTimeout(STEP_TIMEOUT_MS, () => outgoing.destroy(new Error('request timed out')))
    outgoing.on('error', reject)
    outgoing.end(text)
  })
}

/**
 * Opens the page's socket and says `alive`; resolves with the socket and a
 * wait for a given status pushed to it.
 *
 * @param {string} socketUrl
 * @param {string} agentId
 */
function openPage(socketUrl, agentId) {
  const socket = new WebSocket(socketUrl, { perMessageDeflate: false })
  /** @type {Set<string>} */
  const seen = new Set()
  /** @type {Map<string, () => void>} */
  const waiting = new Map()
  socket.on('message', (data) => {
    const packet = JSON.parse(data.toString())
    if (packet.packet_type !== 'update_status') return
    seen.add(packet.data.status)
    waiting.get(packet.data.status)?.()
  })
  /** @param {string} status */
  const statusPushed = (status) =>
    new Promise((resolve, reject) => {
      if (seen.has(status)) return resolve(undefined)
      const timer = setTimeout(() => {
        reject(new Error(`agent ${agentId} was not told '${status}'`))
      }, STEP_TIMEOUT_MS)
      waiting.set(status, () => {
        clearTimeout(timer)
        resolve(undefined)
      })
    })
  const opened = new Promise((resolve, reject) => {
    socket.once('error', reject)
    socket.once('open', () => {
      socket.send(JSON.stringify({ packet_type: 'alive', subject_id: agentId, data: {} }))
      resolve(undefined)
    })
  })
  return { socket, opened, statusPushed }
}

/**
 * One worker's whole unit: register, open the page, hand in, see
 * `completed`, leave.
 *
 * @param {{ agent: Agent, base: string, socketUrl: string }} target
 * @param {number} index
 */
async function churnOne(target, index) {
  let mark = nowMs()
  const lap = (/** @type {keyof typeof stepMs} */ step) => {
    const now = nowMs()
    stepMs[step] += now - mark
    mark = now
  }
  const worker = `churn-${String(index)}`
  const details = await postJson(target.agent, new URL('/request_agent', target.base), {
    provider_data: { worker_name: worker, agent_registration_id: `asg-${worker}` },
  })
  const agentId = details.data.agent_id
  if (typeof agentId !== 'string')
    throw new Error(`${worker} got no unit: ${JSON.stringify(details)}`)
  lap('register')
  const page = openPage(target.socketUrl, agentId)
  await page.opened
  lap('open')
  await postJson(target.agent, new URL('/submit_task', target.base), {
    USED_AGENT_ID: agentId,
    final_data: { index },
  })
  lap('submit')
  await page.statusPushed('completed')
  lap('completed')
  const closed = new Promise((resolve) => page.socket.once('close', resolve))
  page.socket.close(1000)
  await closed
  lap('leave')
}

/** Time spent in each step, summed over every agent (ms). */
const stepMs = { register: 0, open: 0, submit: 0, completed: 0, leave: 0 }

/**
 * Runs agents `from` to `to` (exclusive) on the lanes.
 *
 * @param {{ agent: Agent, base: string, socketUrl: string }} target
 * @param {number} from
 * @param {number} to
 */
async function churn(target, from, to) {
  let next = from
  const lane = async () => {
    while (next < to) await churnOne(target, next++)
  }
  await Promise.all(Array.from({ length: lanes }, lane))
}

/**
 * Memory (garbage collected) and per-agent counts of both children.
 *
 * @param {import('./lib/child-process.js').BenchChild} router
 * @param {import('./lib/child-process.js').BenchChild} backend
 */
async function measure(router, backend) {
  const [routerMemory, routerStats, backendMemory, backendStats] = await Promise.all([
    router.request('memory'),
    router.request('stats'),
    backend?.request('memory') ?? process.memoryUsage(),
    backend?.request('stats') ?? null,
  ])
  return { routerMemory, routerStats, backendMemory, backendStats }
}

const token = randomBytes(24).toString('hex')
const router = await startChild('router-server', { env: { FAUST_BENCH_TOKEN: token } })
const backend =
  flags.with === 'backend'
    ? await startChild('backend-server', {
        env: {
          FAUST_BENCH_TOKEN: token,
          FAUST_BENCH_SOCKET_URL: String(router.ready['socketUrl']),
          FAUST_BENCH_HTTP_URL: String(router.ready['url']),
          FAUST_BENCH_UNITS: String(total),
        },
        timeoutMs: 300_000,
      })
    : undefined
const wire =
  backend === undefined
    ? await startWireBackend(String(router.ready['socketUrl']), token)
    : undefined
const target = {
  agent: new Agent({ keepAlive: true, maxSockets: lanes }),
  base: String(router.ready['url']),
  socketUrl: String(router.ready['socketUrl']),
}

let exitCode = 1
try {
  const started = nowMs()
  await churn(target, 0, checkpoint)
  const atCheckpoint = await measure(router, backend)
  const checkpointMs = nowMs() - started
  await churn(target, checkpoint, total)
  const atEnd = await measure(router, backend)
  const seconds = (nowMs() - started) / 1000

  const growth = (/** @type {number} */ before, /** @type {number} */ after) => after / before - 1
  const routerGrowth = growth(atCheckpoint.routerMemory.rss, atEnd.routerMemory.rss)
  // The wire backend is the load process itself: only a real backend's figure counts.
  const backendGrowth =
    backend === undefined ? 0 : growth(atCheckpoint.backendMemory.rss, atEnd.backendMemory.rss)
  const pass = routerGrowth <= TOLERANCE && backendGrowth <= TOLERANCE
  const mib = (/** @type {number} */ bytes) => `${(bytes / MiB).toFixed(1)} MiB`
  const pct = (/** @type {number} */ share) => `${(share * 100).toFixed(1)} %`
  const row = (/** @type {string} */ name, /** @type {string} */ a, /** @type {string} */ b) =>
    `| ${name} | ${a} | ${b} |`
  const lines = [
    `Churn (${flags.with} backend): ${String(total)} agents on ${String(lanes)} lanes in ${seconds.toFixed(0)} s ` +
      `(${(total / seconds).toFixed(0)} agents/s; first ${String(checkpoint)} in ${(checkpointMs / 1000).toFixed(0)} s)`,
    '',
    `| figure | after ${String(checkpoint)} | after ${String(total)} |`,
    '| --- | --: | --: |',
    row('router RSS', mib(atCheckpoint.routerMemory.rss), mib(atEnd.routerMemory.rss)),
    row(
      'router heap used',
      mib(atCheckpoint.routerMemory.heapUsed),
      mib(atEnd.routerMemory.heapUsed),
    ),
    ...(backend === undefined
      ? []
      : [
          row('backend RSS', mib(atCheckpoint.backendMemory.rss), mib(atEnd.backendMemory.rss)),
          row(
            'backend heap used',
            mib(atCheckpoint.backendMemory.heapUsed),
            mib(atEnd.backendMemory.heapUsed),
          ),
          row(
            'backend run.stats()',
            JSON.stringify(atCheckpoint.backendStats),
            JSON.stringify(atEnd.backendStats),
          ),
        ]),
    row(
      'router stats',
      JSON.stringify(atCheckpoint.routerStats),
      JSON.stringify(atEnd.routerStats),
    ),
    '',
    `Mean time per agent and step (ms): ${Object.entries(stepMs)
      .map(([step, ms]) => `${step} ${(ms / total).toFixed(1)}`)
      .join(', ')}`,
    `RSS growth from ${String(checkpoint)} to ${String(total)} agents: router ${pct(routerGrowth)}, ` +
      `backend ${backend === undefined ? 'not measured' : pct(backendGrowth)} (limit ${pct(TOLERANCE)}): ${pass ? 'PASS' : 'FAIL'}`,
    `Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${String(os.cpus().length)}, ` +
      `${mib(os.totalmem())} RAM, Node ${process.version}, ${os.platform()} ${os.release()}`,
  ]
  console.log(lines.join('\n'))
  const dir = new URL('./results/', import.meta.url)
  await mkdir(dir, { recursive: true })
  await writeFile(
    new URL(`churn-${new Date().toISOString().replaceAll(':', '-')}.json`, dir),
    JSON.stringify(
      { total, lanes, seconds, atCheckpoint, atEnd, routerGrowth, backendGrowth, pass },
      null,
      2,
    ),
  )
  exitCode = pass ? 0 : 1
} finally {
  target.agent.destroy()
  wire?.close()
  await backend?.stop()
  await router.stop()
}
process.exitCode = exitCode
