import { mkdir } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import fastifyMultipart from '@fastify/multipart'
import fastifyStatic from '@fastify/static'
import Fastify, { type FastifyInstance } from 'fastify'
import { pino } from 'pino'
import type { JsonLimits, Logger } from '@faust/protocol'
import { createTokenChecker, type TokenCheck } from './auth/backend-token.js'
import { installErrorHandling, sendRouterError, toRouterError } from './http/error-handler.js'
import { installJsonBodyParser } from './http/json-body-parser.js'
import { jsonLimitsOf } from './json-limits-of.js'
import { registerRoutes } from './http/routes.js'
import { installSecurityHeaders } from './http/security-headers.js'
import { registerStaticFiles } from './http/static-files.js'
import { UploadGuard } from './http/upload-guard.js'
import { Relay, type RelayStats } from './relay/relay.js'
import { RouterObservers, type RouterObserver } from './relay/router-observers.js'
import { reportRelayedRequests } from './http/relayed-requests.js'
import {
  resolveRouterOptions,
  type ResolvedRouterOptions,
  type RouterOptions,
} from './router-options.js'
import { serverTimeouts } from './http/server-timeouts.js'
import { IdentifyDeadline } from './transport/identify-deadline.js'
import { attachWebSockets, type WebSocketTransport } from './transport/websocket-transport.js'

/** A running router. Close it (or `await using` it) to stop. */
export interface Router extends AsyncDisposable {
  /** `http://host:port`, the address workers open. */
  readonly url: string
  /** `ws://host:port/`, the address the backend connects to (add `?token=` or a Bearer header). */
  readonly socketUrl: string
  readonly host: string
  readonly port: number
  /** Where uploads are stored. */
  readonly uploadDir: string
  stats(): RelayStats & { readonly sockets: number }
  /**
   * Watches the relay: agents' sockets, heartbeats, relayed packets and
   * requests, the backend's link (RouterObserver). Any number of observers;
   * returns the function that removes this one.
   */
  observe(observer: RouterObserver): () => void
  /** Stops accepting, fails held requests, closes every socket with 1001, and waits for the server to end. */
  close(): Promise<void>
}

/** What the HTTP app and the sockets are built from. */
interface RouterParts {
  readonly resolved: ResolvedRouterOptions
  readonly logger: Logger
  readonly relay: Relay
  readonly observers: RouterObservers
  readonly checkToken: (request: IncomingMessage) => TokenCheck
  /** Workers' JSON limits. */
  readonly jsonLimits: JsonLimits
}

/**
 * Starts a router: one port for the task page, the REST endpoints and the
 * WebSocket relay between workers' pages and the backend.
 *
 * @example
 * await using router = await createRouter({ backendToken: secret, port: 0, staticDir: 'dist' })
 * console.log(`open ${router.url}/?worker_id=w1&assignment_id=a1`)
 */
export async function createRouter(options: RouterOptions): Promise<Router> {
  const resolved = resolveRouterOptions(options)
  const logger: Logger =
    resolved.logger ?? pino({ level: resolved.logLevel, base: { name: 'faust-router' } })
  await mkdir(resolved.uploadDir, { recursive: true, mode: 0o700 })

  const limits = jsonLimitsOf(resolved)
  const observers = new RouterObservers(logger)
  const parts: RouterParts = {
    resolved,
    logger,
    relay: new Relay({ ...resolved, logger, ...limits, observers }),
    observers,
    checkToken: createTokenChecker(resolved.backendToken),
    jsonLimits: limits.jsonLimits,
  }
  const app = await createHttpApp(parts)
  const sockets = attachSockets(app, parts)
  const port = await listen(app, parts, sockets)
  const hostForUrl = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host
  logger.info({ host: resolved.host, port, staticDir: resolved.staticDir }, 'router listening')

  let closing: Promise<void> | undefined
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      parts.relay.close()
      sockets.close()
      await app.close()
      logger.info({}, 'router stopped')
    })())

  return {
    url: `http://${hostForUrl}:${String(port)}`,
    socketUrl: `ws://${hostForUrl}:${String(port)}/`,
    host: resolved.host,
    port,
    uploadDir: resolved.uploadDir,
    stats: () => ({ ...parts.relay.stats(), sockets: sockets.size }),
    observe: (observer) => observers.observe(observer),
    close,
    [Symbol.asyncDispose]: close,
  }
}

/** The Fastify app: error bodies, security headers, body parsers, static files and routes. */
async function createHttpApp(parts: RouterParts): Promise<FastifyInstance> {
  const { resolved, logger } = parts
  const app = Fastify({
    bodyLimit: resolved.maxBodyBytes,
    // Our own error bodies and logs; Fastify's per-request logging would cost
    // more than the relay itself on the hot path.
    logger: false,
    return503OnClosing: true,
    forceCloseConnections: true,
    ...serverTimeouts(resolved),
    // Errors raised before routing (a badly encoded URL) get our body shape too.
    frameworkErrors: (error, _request, reply) => {
      sendRouterError(reply, toRouterError(error))
    },
  })
  installErrorHandling(app, logger)
  installSecurityHeaders(app, resolved.contentSecurityPolicy)
  installJsonBodyParser(app, parts.jsonLimits)
  reportRelayedRequests(app, parts.observers)
  await app.register(fastifyMultipart, {
    limits: {
      fileSize: resolved.maxUploadBytes,
      files: resolved.maxUploadFiles,
      fieldSize: resolved.maxBodyBytes,
      fields: 100,
      parts: resolved.maxUploadFiles + 100,
    },
  })
  // Only `reply.sendFile`: the task page is served by registerStaticFiles,
  // which refuses dotfiles and symlinks leading out of the folder.
  await app.register(fastifyStatic, {
    root: resolved.staticDir ?? resolved.uploadDir,
    serve: false,
    dotfiles: 'deny',
  })
  if (resolved.staticDir !== undefined) registerStaticFiles(app, resolved.staticDir)
  registerRoutes(app, {
    relay: parts.relay,
    clock: resolved.clock,
    staticDir: resolved.staticDir,
    uploadDir: resolved.uploadDir,
    jsonLimits: parts.jsonLimits,
    checkToken: parts.checkToken,
    uploads: new UploadGuard({
      maxConcurrent: resolved.maxConcurrentUploads,
      idleTimeoutMs: resolved.uploadIdleTimeoutMs,
      totalTimeoutMs: resolved.uploadTotalTimeoutMs,
      clock: resolved.clock,
    }),
  })
  await app.ready()
  return app
}

/** The WebSocket side, on the app's server. */
function attachSockets(app: FastifyInstance, parts: RouterParts): WebSocketTransport {
  const { resolved, logger } = parts
  const sockets = attachWebSockets({
    server: app.server,
    relay: parts.relay,
    logger,
    checkToken: parts.checkToken,
    maxAgentFrameBytes: resolved.maxAgentFrameBytes,
    maxBackendFrameBytes: resolved.maxBackendFrameBytes,
    backendAuth: resolved.backendAuth,
    originPolicy: { publicOrigin: resolved.publicOrigin, allowedOrigins: resolved.allowedOrigins },
    identifyDeadline: new IdentifyDeadline({
      clock: resolved.clock,
      timeoutMs: resolved.identifyTimeoutMs,
    }),
  })
  if (resolved.backendAuth === 'loopback') {
    logger.warn(
      {},
      'backend auth is loopback: any process on this machine can act as the backend without the secret',
    )
  }
  return sockets
}

/** Listens and returns the port. */
async function listen(
  app: FastifyInstance,
  parts: RouterParts,
  sockets: WebSocketTransport,
): Promise<number> {
  try {
    await app.listen({ host: parts.resolved.host, port: parts.resolved.port })
  } catch (error) {
    // A port in use (EADDRINUSE) must not leave the relay's sweep timer and the
    // socket servers behind: they would keep the caller's process alive.
    parts.relay.close()
    sockets.close()
    await app.close()
    throw error
  }
  return (app.server.address() as AddressInfo).port
}
