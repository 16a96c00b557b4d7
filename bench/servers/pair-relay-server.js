// The baseline of `npm run bench:live`: a plain `ws` server that forwards
// each message to the client it names, the least any chat relay must do.
// Faust's path is twice as long (page → router → backend → router → page)
// and stores every message; this shows what the machine does with none of it.
import { createServer } from 'node:http'
import { WebSocketServer } from 'ws'
import { serveParent } from './parent-link.js'

/** @type {Map<string, import('ws').WebSocket>} */
const clients = new Map()
const server = createServer((_request, response) => {
  response.writeHead(404)
  response.end()
})
const sockets = new WebSocketServer({ server, perMessageDeflate: false, clientTracking: false })
sockets.on('connection', (socket, request) => {
  const id = new URL(request.url ?? '/', 'http://localhost').searchParams.get('id') ?? ''
  clients.set(id, socket)
  socket.on('message', (data) => {
    const text = data.toString('utf8')
    const to = /** @type {{ to?: string }} */ (JSON.parse(text)).to
    clients.get(to ?? '')?.send(text)
  })
  socket.on('close', () => clients.delete(id))
  socket.on('error', () => {
    // A benchmark client that is terminated mid-frame is expected.
  })
})
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('not a TCP server')
  serveParent(
    { close: () => new Promise((resolve) => server.close(() => resolve(undefined))) },
    { url: `ws://127.0.0.1:${String(address.port)}/` },
  )
})
