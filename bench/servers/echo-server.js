// The baseline: what the same machine does with no router logic at all. Plain
// node:http answering a small JSON body, and a `ws` server sending every
// message straight back, both on one port.
import { createServer } from 'node:http'
import { WebSocketServer } from 'ws'
import { serveParent } from './parent-link.js'

// About the size of the router's agent_details answer, so both sides of the
// HTTP comparison move similar bytes.
const BODY = JSON.stringify({
  packet_type: 'agent_details',
  subject_id: 'bench_channel',
  data: {
    request_id: '00000000-0000-4000-8000-000000000000',
    worker_id: 'w',
    agent_id: 'agent-000000',
    init_task_data: null,
    failure_reason: null,
  },
  client_timestamp: null,
  router_incoming_timestamp: null,
  router_outgoing_timestamp: null,
  server_timestamp: null,
})
const HEADERS = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) }

const server = createServer((request, response) => {
  request.resume()
  request.on('end', () => {
    response.writeHead(200, HEADERS)
    response.end(BODY)
  })
})
// The same socket settings as the router's transport, so the comparison is
// about the relay and not about ws options.
const sockets = new WebSocketServer({ server, perMessageDeflate: false, clientTracking: false })
sockets.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => {
    socket.send(data, { binary: isBinary })
  })
  socket.on('error', () => {
    // A benchmark client that is terminated mid-frame is expected.
  })
})

server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('not a TCP server')
  serveParent(
    {
      close: () => {
        server.closeAllConnections()
        server.close()
      },
    },
    { port: address.port, url: `http://127.0.0.1:${String(address.port)}` },
  )
})
