// A minimal Mephisto-style backend for the router benchmark, in its own
// process as the Python backend would be: it answers registrations, admits
// batches of agents, and echoes every live update back to its agent.
import { WebSocket } from 'ws'
import { serveParent } from './parent-link.js'

const token = process.env['FAUST_BENCH_TOKEN']
const socketUrl = process.env['FAUST_BENCH_SOCKET_URL']
if (token === undefined || socketUrl === undefined) {
  throw new Error('FAUST_BENCH_TOKEN and FAUST_BENCH_SOCKET_URL must be set')
}

/** Monotonic milliseconds; the same clock as the load generator's on Linux. */
const nowMs = () => Number(process.hrtime.bigint()) / 1e6
const wireSeconds = () => Date.now() / 1000

const socket = new WebSocket(socketUrl, {
  headers: { authorization: `Bearer ${token}` },
  perMessageDeflate: false,
})
/**
 * Resolvers of `return_statuses`, which the router answers in order.
 *
 * @type {((agents: number) => void)[]}
 */
const statusWaiters = []
let issued = 0

/**
 * @param {string} type
 * @param {string} subject
 * @param {unknown} data
 */
function send(type, subject, data) {
  socket.send(
    JSON.stringify({
      packet_type: type,
      subject_id: subject,
      data,
      client_timestamp: null,
      router_incoming_timestamp: null,
      router_outgoing_timestamp: null,
      server_timestamp: wireSeconds(),
    }),
  )
}

/**
 * The router handles one socket's frames in order, so once it answers this
 * poll it has applied everything sent before it (admissions, the `alive`).
 *
 * @returns {Promise<number>} how many agents the router knows
 */
function barrier() {
  return new Promise((resolve) => {
    statusWaiters.push(resolve)
    send('request_statuses', 'mephisto', {})
  })
}

socket.on('message', (raw) => {
  // Stamped before parsing: the agent→backend leg ends when the frame arrives.
  const receivedMs = nowMs()
  const packet = JSON.parse(raw.toString())
  switch (packet.packet_type) {
    case 'mephisto_bound_live_update': {
      const data = packet.data
      if (data.probe === true) {
        data.backend_received_ms = receivedMs
        data.backend_sent_ms = nowMs()
      }
      send('client_bound_live_update', packet.subject_id, data)
      return
    }
    case 'register_agent':
      issued += 1
      send('agent_details', 'bench_channel', {
        request_id: packet.data.request_id,
        worker_id: 'w',
        agent_id: `http-agent-${String(issued)}`,
        init_task_data: null,
        failure_reason: null,
      })
      return
    case 'return_statuses':
      statusWaiters.shift()?.(Object.keys(packet.data).length)
      return
    default:
  }
})
socket.on('error', (error) => {
  console.error('bench backend socket error:', error.message)
})
socket.on('close', () => {
  // Without its backend the benchmark cannot go on; the parent sees the exit.
  process.exit(1)
})

await new Promise((resolve, reject) => {
  socket.once('open', resolve)
  socket.once('error', reject)
})
send('alive', 'mephisto', {})
await barrier()

serveParent(
  {
    /** Admits agent ids the quick way (`update_status`), as a backend launching a task does. */
    admit: async (/** @type {Record<string, any>} */ message) => {
      for (const agentId of /** @type {string[]} */ (message['agentIds'])) {
        send('update_status', agentId, { status: 'in task' })
      }
      return barrier()
    },
    close: () => {
      socket.removeAllListeners('close')
      socket.close()
    },
  },
  {},
)
