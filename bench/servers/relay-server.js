// A reference point between the echo baseline and the router: the least any
// relay must do in the router's topology. It parses each frame only to find
// where it goes and forwards the original bytes; no validation, no admission,
// no timestamps, no re-encoding. The gap between it and the router is the
// router's own code; the gap between it and the echo server is the extra hop.
import { createServer } from 'node:http'
import { WebSocketServer } from 'ws'
import { serveParent } from './parent-link.js'

const token = process.env['FAUST_BENCH_TOKEN']
if (token === undefined) throw new Error('FAUST_BENCH_TOKEN is not set')

/** @type {import('ws').WebSocket | null} */
let backend = null
/** @type {Map<string, import('ws').WebSocket>} */
const agents = new Map()
const text = { binary: false }

const server = createServer((_request, response) => {
  response.writeHead(404)
  response.end()
})
const sockets = new WebSocketServer({ server, perMessageDeflate: false, clientTracking: false })

sockets.on('connection', (socket, request) => {
  socket.on('error', () => {
    // A benchmark client that is terminated mid-frame is expected.
  })
  if (request.headers.authorization === `Bearer ${token}`) {
    backend = socket
    socket.on('message', (data) => {
      const packet = JSON.parse(data.toString())
      if (packet.packet_type === 'request_statuses') {
        // The bench backend's barrier; frames are handled in order, so
        // answering at once is as good as the router's answer.
        socket.send(
          JSON.stringify({ packet_type: 'return_statuses', subject_id: 'mephisto', data: {} }),
        )
        return
      }
      agents.get(packet.subject_id)?.send(data, text)
    })
    return
  }
  socket.on('message', (data) => {
    const packet = JSON.parse(data.toString())
    switch (packet.packet_type) {
      case 'alive':
        agents.set(packet.subject_id, socket)
        socket.send(
          JSON.stringify({
            packet_type: 'update_status',
            subject_id: packet.subject_id,
            data: { status: 'in task' },
          }),
        )
        return
      case 'heartbeat':
        socket.send(data, text)
        return
      default:
        backend?.send(data, text)
    }
  })
})

server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('not a TCP server')
  const port = String(address.port)
  serveParent(
    {
      close: () => {
        server.close()
      },
    },
    { port: address.port, url: `http://127.0.0.1:${port}`, socketUrl: `ws://127.0.0.1:${port}/` },
  )
})
