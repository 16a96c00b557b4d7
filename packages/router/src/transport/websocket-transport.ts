import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import { CloseCode, type Logger } from '@faust/protocol'
import type { TokenCheck } from '../auth/backend-token.js'
import { isBackendAlive, mayBeLoopbackBackend, type BackendAuth } from '../auth/loopback-backend.js'
import type { AgentConnection, Connection } from '../relay/connection.js'
import type { Relay } from '../relay/relay.js'
import { isOriginAllowed, refuseOrigin, type OriginPolicy } from './origin-check.js'
import type { IdentifyDeadline } from './identify-deadline.js'
import { WriteBatcher, type Corkable } from './write-batcher.js'

/** Options of {@link attachWebSockets}. */
export interface WebSocketTransportOptions {
  readonly server: Server
  readonly relay: Relay
  readonly logger: Logger
  readonly checkToken: (request: IncomingMessage) => TokenCheck
  readonly maxAgentFrameBytes: number
  readonly maxBackendFrameBytes: number
  /** `loopback` also lets a local socket that presents no secret be the backend. */
  readonly backendAuth: BackendAuth
  /** The peer's address; replaced in tests to play a remote peer over loopback. */
  readonly remoteAddressOf?: ((request: IncomingMessage) => string | undefined) | undefined
  /** Whose pages may open a worker socket (an upgrade without the secret). @default the router's own */
  readonly originPolicy?: OriginPolicy | undefined
  /** Closes sockets that have not identified themselves in time (4408). */
  readonly identifyDeadline: IdentifyDeadline
}

/** The sockets side of the router; `close` ends every socket with 1001. */
export interface WebSocketTransport {
  close(): void
  /** Open sockets, workers' and backend's. */
  readonly size: number
}

class SocketConnection implements AgentConnection {
  agentId: string | null = null
  readonly #socket: WebSocket
  readonly #raw: Corkable
  readonly #batcher: WriteBatcher

  constructor(socket: WebSocket, raw: Corkable, batcher: WriteBatcher) {
    this.#socket = socket
    this.#raw = raw
    this.#batcher = batcher
  }

  get isOpen(): boolean {
    return this.#socket.readyState === this.#socket.OPEN
  }

  send(text: string): void {
    this.#batcher.hold(this.#raw)
    this.#socket.send(text)
  }

  close(code: number, reason: string): void {
    this.#socket.close(code, reason)
  }
}

/** What every accepted socket is handled with. */
interface SocketContext {
  readonly relay: Relay
  readonly logger: Logger
  readonly identifyDeadline: IdentifyDeadline
  readonly batcher: WriteBatcher
  /** Open sockets, closed with 1001 on shutdown. */
  readonly sockets: Set<WebSocket>
}

/** How an accepted socket is handled: as a worker's page, the backend, or a local peer. */
type SocketHandler = (context: SocketContext, socket: WebSocket, raw: Corkable) => void

/**
 * Accepts WebSocket upgrades on any path of the HTTP server. A socket that
 * presents the backend secret may become the backend; one that presents a
 * wrong secret is refused with 401; any other socket is a worker's page.
 * Worker frames are capped at `maxAgentFrameBytes` (a bigger one closes that
 * socket with 1009, done by `ws`). No compression: it costs ~300 KiB per
 * socket of zlib state and buys nothing on small JSON packets.
 */
export function attachWebSockets(options: WebSocketTransportOptions): WebSocketTransport {
  const common = { noServer: true, perMessageDeflate: false, clientTracking: false } as const
  const agentServer = new WebSocketServer({ ...common, maxPayload: options.maxAgentFrameBytes })
  const backendServer = new WebSocketServer({ ...common, maxPayload: options.maxBackendFrameBytes })
  const context: SocketContext = {
    relay: options.relay,
    logger: options.logger,
    identifyDeadline: options.identifyDeadline,
    batcher: new WriteBatcher(),
    sockets: new Set<WebSocket>(),
  }
  const remoteAddressOf =
    options.remoteAddressOf ?? ((request: IncomingMessage) => request.socket.remoteAddress)
  const originPolicy = options.originPolicy ?? { publicOrigin: undefined, allowedOrigins: [] }

  const accept = (
    server: WebSocketServer,
    handler: SocketHandler,
    upgrade: { request: IncomingMessage; socket: Duplex; head: Buffer },
  ): void => {
    // `socket` is the TCP socket the WebSocket writes to: the batcher corks it.
    server.handleUpgrade(upgrade.request, upgrade.socket, upgrade.head, (webSocket) => {
      handler(context, webSocket, upgrade.socket)
    })
  }
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const check = options.checkToken(request)
    if (check === 'invalid') {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    if (check === 'valid') {
      accept(backendServer, onBackend, { request, socket, head })
      return
    }
    if (!isOriginAllowed(request, originPolicy)) {
      refuseOrigin(socket)
      return
    }
    if (
      options.backendAuth === 'loopback' &&
      mayBeLoopbackBackend(request, remoteAddressOf(request))
    ) {
      // The backend's frame limit: this socket may turn out to be the backend.
      accept(backendServer, onLocalPeer, { request, socket, head })
      return
    }
    accept(agentServer, onAgent, { request, socket, head })
  }
  options.server.on('upgrade', onUpgrade)

  return {
    get size() {
      return context.sockets.size
    },
    close() {
      options.server.off('upgrade', onUpgrade)
      for (const socket of context.sockets) {
        socket.close(CloseCode.GOING_AWAY, 'router shutting down')
      }
      agentServer.close()
      backendServer.close()
    },
  }
}

function track(context: SocketContext, socket: WebSocket): void {
  context.sockets.add(socket)
  socket.on('close', () => context.sockets.delete(socket))
  socket.on('error', (error) => {
    context.logger.debug({ err: error }, 'socket error')
  })
}

/** A worker's page. */
function onAgent(context: SocketContext, socket: WebSocket, raw: Corkable): void {
  const { relay } = context
  track(context, socket)
  const connection = new SocketConnection(socket, raw, context.batcher)
  const deadline = context.identifyDeadline.watch(connection, () => connection.agentId !== null)
  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) {
      connection.close(CloseCode.INVALID_PACKET, 'packets are JSON text frames')
      return
    }
    relay.handleAgentFrame(connection, rawToString(data))
    deadline.check()
  })
  socket.on('close', () => {
    deadline.cancel()
    relay.handleAgentClose(connection)
  })
}

/** A socket that presented the backend secret. */
function onBackend(context: SocketContext, socket: WebSocket, raw: Corkable): void {
  const { relay, logger } = context
  track(context, socket)
  const connection: Connection = new SocketConnection(socket, raw, context.batcher)
  // Holding the secret is not enough to hold a socket: the backend must say `alive`.
  const deadline = context.identifyDeadline.watch(connection, () => relay.isBackend(connection))
  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) {
      logger.warn({}, 'dropped a binary frame from the backend')
      return
    }
    relay.handleBackendFrame(connection, rawToString(data))
    deadline.check()
  })
  socket.on('close', (code: number) => {
    deadline.cancel()
    relay.handleBackendClose(connection, code)
  })
}

/**
 * Under `loopback` auth a local socket without a secret is the backend if
 * its first frame is the backend's `alive`, and a worker's page otherwise
 * (local bots and `faust simulate` connect the same way as the backend).
 */
function onLocalPeer(context: SocketContext, socket: WebSocket, raw: Corkable): void {
  const { relay, logger } = context
  track(context, socket)
  const connection = new SocketConnection(socket, raw, context.batcher)
  let role: 'undecided' | 'backend' | 'agent' = 'undecided'
  // Undecided sockets are covered too: a silent local peer decides nothing.
  const deadline = context.identifyDeadline.watch(connection, () =>
    role === 'backend' ? relay.isBackend(connection) : connection.agentId !== null,
  )
  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) {
      connection.close(CloseCode.INVALID_PACKET, 'packets are JSON text frames')
      return
    }
    const text = rawToString(data)
    if (role === 'undecided') {
      role = isBackendAlive(text) ? 'backend' : 'agent'
      if (role === 'backend') logger.info({}, 'a local socket without a secret is the backend')
    }
    if (role === 'backend') relay.handleBackendFrame(connection, text)
    else relay.handleAgentFrame(connection, text)
    deadline.check()
  })
  socket.on('close', (code: number) => {
    deadline.cancel()
    if (role === 'backend') relay.handleBackendClose(connection, code)
    else relay.handleAgentClose(connection)
  })
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8')
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data).toString('utf8')
}
