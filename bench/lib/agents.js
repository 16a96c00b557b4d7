// The worker side of the benchmark: many `ws` clients in the load generator,
// speaking to either the router (as workers' pages) or the echo baseline.
import { WebSocket } from 'ws'
import { nowMs, sleep } from './stats.js'

/**
 * @typedef {object} BenchAgent
 * @property {string} id
 * @property {WebSocket} socket
 */

/**
 * @typedef {object} RoundTripSamples
 * @property {number[]} roundTripMs agent → … → agent
 * @property {number[]} toBackendMs agent → router → backend (router runs only)
 * @property {number[]} fromBackendMs backend → router → agent (router runs only)
 */

const REPLY_TIMEOUT_MS = 5000

/**
 * A live update as a worker's page sends it. `probe` asks the backend to stamp
 * when it received and re-sent the packet.
 *
 * @param {string} agentId
 * @param {number} updateId
 * @param {boolean} probe
 * @returns {string}
 */
export function liveUpdate(agentId, updateId, probe) {
  return JSON.stringify({
    packet_type: 'mephisto_bound_live_update',
    subject_id: agentId,
    data: { update_id: updateId, probe, text: 'the worker typed something' },
    client_timestamp: Date.now() / 1000,
  })
}

/**
 * Connects like a worker's page: `alive` first, then waits for the first
 * answer (the router's `update_status`, or the echo of the `alive`).
 *
 * @param {string} url
 * @param {string} id
 * @returns {Promise<BenchAgent>}
 */
export function connectAgent(url, id) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false })
    const timer = setTimeout(() => {
      socket.terminate()
      reject(new Error(`agent ${id} was not answered within ${String(REPLY_TIMEOUT_MS)} ms`))
    }, REPLY_TIMEOUT_MS)
    const fail = (/** @type {Error} */ error) => {
      clearTimeout(timer)
      reject(error)
    }
    socket.once('error', fail)
    socket.once('close', (code, reason) => {
      fail(new Error(`agent ${id} was closed with ${String(code)} ${reason.toString()}`))
    })
    socket.once('open', () => {
      socket.send(JSON.stringify({ packet_type: 'alive', subject_id: id, data: {} }))
    })
    socket.once('message', () => {
      clearTimeout(timer)
      socket.removeAllListeners()
      socket.on('error', () => {
        // Reported through the phase that uses the socket (missing replies).
      })
      resolve({ id, socket })
    })
  })
}

/**
 * Connects agents a batch at a time: thousands of simultaneous handshakes
 * would measure the accept queue, not the idle cost of a connection.
 *
 * @param {string} url
 * @param {readonly string[]} ids
 * @param {number} [concurrency]
 * @returns {Promise<BenchAgent[]>}
 */
export async function connectAgents(url, ids, concurrency = 100) {
  /** @type {BenchAgent[]} */
  const agents = Array.from({ length: ids.length })
  let next = 0
  const worker = async () => {
    while (next < ids.length) {
      const index = next++
      agents[index] = await connectAgent(url, /** @type {string} */ (ids[index]))
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker))
  return agents
}

/** @param {readonly BenchAgent[]} agents */
export function closeAgents(agents) {
  for (const agent of agents) agent.socket.terminate()
}

/**
 * Keeps idle agents heartbeating every `everyMs`, spread evenly over the
 * period, as pages do; the router would otherwise mark them disconnected.
 *
 * @param {readonly BenchAgent[]} agents
 * @param {number} everyMs
 * @returns {() => void} stops the heartbeats
 */
export function startHeartbeats(agents, everyMs) {
  const tickMs = 100
  const perTick = Math.ceil(agents.length / (everyMs / tickMs))
  let next = 0
  const timer = setInterval(() => {
    for (let sent = 0; sent < perTick; sent++) {
      const agent = /** @type {BenchAgent} */ (agents[next])
      next = (next + 1) % agents.length
      if (agent.socket.readyState === WebSocket.OPEN) {
        agent.socket.send(
          JSON.stringify({
            packet_type: 'heartbeat',
            subject_id: agent.id,
            client_timestamp: Date.now() / 1000,
          }),
        )
      }
    }
  }, tickMs)
  return () => {
    clearInterval(timer)
  }
}

/**
 * One live update in flight at a time. Times are taken when the frame is
 * handed to `ws` and when it arrives, before parsing, on a monotonic clock
 * the backend process shares.
 *
 * @param {BenchAgent} agent
 * @param {{ warmup: number, samples: number }} counts
 * @returns {Promise<RoundTripSamples>}
 */
export async function measureRoundTrips(agent, { warmup, samples }) {
  /** @type {RoundTripSamples} */
  const result = { roundTripMs: [], toBackendMs: [], fromBackendMs: [] }
  /** @type {((arrivedMs: number, packet: any) => void) | null} */
  let waiter = null
  const onMessage = (/** @type {Buffer} */ raw) => {
    const arrivedMs = nowMs()
    waiter?.(arrivedMs, JSON.parse(raw.toString()))
  }
  agent.socket.on('message', onMessage)
  try {
    for (let index = 0; index < warmup + samples; index++) {
      const frame = liveUpdate(agent.id, index, true)
      /** @type {Promise<{ arrivedMs: number, data: Record<string, number> }>} */
      const reply = new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`live update ${String(index)} of ${agent.id} got no echo`))
        }, REPLY_TIMEOUT_MS)
        waiter = (arrivedMs, packet) => {
          if (packet.data?.update_id !== index) return
          clearTimeout(timer)
          resolve({ arrivedMs, data: packet.data })
        }
      })
      const sentMs = nowMs()
      agent.socket.send(frame)
      const { arrivedMs, data } = await reply
      if (index < warmup) continue
      result.roundTripMs.push(arrivedMs - sentMs)
      const { backend_received_ms: receivedMs, backend_sent_ms: resentMs } = data
      if (receivedMs !== undefined && resentMs !== undefined) {
        result.toBackendMs.push(receivedMs - sentMs)
        result.fromBackendMs.push(arrivedMs - resentMs)
      }
    }
  } finally {
    agent.socket.off('message', onMessage)
  }
  return result
}

/**
 * Every agent keeps `window` live updates in flight and sends the next one
 * as soon as an echo comes back; round trips completed during `durationMs`
 * (after `warmupMs`) are counted.
 *
 * @template T
 * @param {readonly BenchAgent[]} agents
 * @param {{ window: number, warmupMs: number, durationMs: number }} shape
 * @param {() => Promise<T>} sample called when counting starts and when it stops (CPU readings)
 * @returns {Promise<{ roundTrips: number, seconds: number, perSecond: number, lost: number, samples: [T, T] }>}
 */
export async function measureThroughput(agents, { window, warmupMs, durationMs }, sample) {
  let counting = false
  let sending = true
  let roundTrips = 0
  let inFlight = 0
  /** @type {(() => void)[]} */
  const detach = []
  for (const agent of agents) {
    // Built once per agent: the load generator should spend its CPU on
    // sockets, the same for both targets, not on building frames.
    const frame = liveUpdate(agent.id, 0, false)
    const onMessage = (/** @type {Buffer} */ raw) => {
      if (JSON.parse(raw.toString()).data?.update_id === undefined) return
      inFlight--
      if (counting) roundTrips++
      if (sending) {
        agent.socket.send(frame)
        inFlight++
      }
    }
    agent.socket.on('message', onMessage)
    detach.push(() => agent.socket.off('message', onMessage))
    for (let sent = 0; sent < window; sent++) agent.socket.send(frame)
    inFlight += window
  }
  await sleep(warmupMs)
  counting = true
  const startMs = nowMs()
  const first = await sample()
  await sleep(durationMs)
  const last = await sample()
  counting = false
  const seconds = (nowMs() - startMs) / 1000
  sending = false
  // Drain so the next phase does not receive this one's echoes.
  const drainUntil = nowMs() + 5000
  while (inFlight > 0 && nowMs() < drainUntil) await sleep(20)
  for (const off of detach) off()
  return {
    roundTrips,
    seconds,
    perSecond: roundTrips / seconds,
    lost: inFlight,
    samples: [first, last],
  }
}
