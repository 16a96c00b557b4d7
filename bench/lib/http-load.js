// The registration side of the benchmark: POST /request_agent over
// keep-alive connections, one at a time for latency, many for throughput.
import { Agent, request } from 'node:http'
import { nowMs, sleep } from './stats.js'

const BODY = JSON.stringify({
  provider_data: { worker_name: 'w1', agent_registration_id: 'a1-w1' },
  client_timestamp: Date.now() / 1000,
})
const HEADERS = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) }

/**
 * @param {Agent} agent
 * @param {URL} url
 * @returns {Promise<number>} the status code, once the whole body has arrived
 */
function post(agent, url) {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', agent, headers: HEADERS }, (response) => {
      response.resume()
      response.on('end', () => {
        resolve(response.statusCode ?? 0)
      })
      response.on('error', reject)
    })
    outgoing.setTimeout(10_000, () => outgoing.destroy(new Error('request timed out')))
    outgoing.on('error', reject)
    outgoing.end(BODY)
  })
}

/**
 * @param {string} baseUrl
 * @param {{ warmup: number, samples: number }} counts
 * @returns {Promise<{ latenciesMs: number[], failures: number }>}
 */
export async function measureRequestLatency(baseUrl, { warmup, samples }) {
  const url = new URL('/request_agent', baseUrl)
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  /** @type {number[]} */
  const latenciesMs = []
  let failures = 0
  try {
    for (let index = 0; index < warmup + samples; index++) {
      const startMs = nowMs()
      const status = await post(agent, url)
      const elapsedMs = nowMs() - startMs
      if (status !== 200) failures++
      if (index >= warmup) latenciesMs.push(elapsedMs)
    }
  } finally {
    agent.destroy()
  }
  return { latenciesMs, failures }
}

/**
 * `concurrency` requests always in flight on as many keep-alive connections;
 * responses completed during `durationMs` (after `warmupMs`) are counted.
 *
 * @param {string} baseUrl
 * @param {{ concurrency: number, warmupMs: number, durationMs: number }} shape
 * @returns {Promise<{ requests: number, seconds: number, perSecond: number, failures: number }>}
 */
export async function measureRequestThroughput(baseUrl, { concurrency, warmupMs, durationMs }) {
  const url = new URL('/request_agent', baseUrl)
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency })
  let running = true
  let counting = false
  let requests = 0
  let failures = 0
  const worker = async () => {
    while (running) {
      // A failed request is counted, not thrown: the run is bounded by time.
      const status = await post(agent, url).catch(() => 0)
      if (!counting) continue
      if (status === 200) requests++
      else failures++
    }
  }
  const workers = Promise.all(Array.from({ length: concurrency }, worker))
  try {
    await sleep(warmupMs)
    counting = true
    const startMs = nowMs()
    await sleep(durationMs)
    counting = false
    const seconds = (nowMs() - startMs) / 1000
    running = false
    await workers
    return { requests, seconds, perSecond: requests / seconds, failures }
  } finally {
    running = false
    agent.destroy()
  }
}
