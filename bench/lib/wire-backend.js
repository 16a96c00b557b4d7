import { WebSocket } from 'ws'

/**
 * The least a backend does on the wire: `alive`, an agent for every
 * `register_agent` (then `in task`), `completed` for every `submit_unit`.
 * For measuring the router alone, where a real backend's storage would set
 * the pace; it runs in the load process, the router in its own child.
 *
 * @param {string} socketUrl
 * @param {string} token
 * @returns {Promise<{ close(): void }>}
 */
export async function startWireBackend(socketUrl, token) {
  const socket = new WebSocket(socketUrl, {
    perMessageDeflate: false,
    headers: { authorization: `Bearer ${token}` },
  })
  await new Promise((resolve, reject) => {
    socket.once('open', resolve)
    socket.once('error', reject)
  })
  let nextAgent = 0
  /** @param {string} type @param {string} subject @param {unknown} data */
  const send = (type, subject, data) => {
    socket.send(JSON.stringify({ packet_type: type, subject_id: subject, data }))
  }
  send('alive', 'mephisto', {})
  socket.on('message', (raw) => {
    const packet = JSON.parse(raw.toString())
    if (packet.packet_type === 'register_agent') {
      const agentId = `agent-${String((nextAgent += 1))}`
      send('agent_details', 'bench_channel', {
        request_id: packet.data.request_id,
        worker_id: `worker-${String(nextAgent)}`,
        agent_id: agentId,
        init_task_data: null,
        failure_reason: null,
      })
      send('update_status', agentId, { status: 'in task' })
    } else if (packet.packet_type === 'submit_unit') {
      send('update_status', packet.subject_id, { status: 'completed' })
    }
  })
  return { close: () => socket.close(1000) }
}
