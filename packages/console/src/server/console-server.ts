import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify'
import { silentLogger, systemClock, type Clock, type Logger } from '@faust/protocol'
import type { Store } from '@faust/backend/store'
import type { ConsoleActions } from '../console-actions.js'
import type { LiveRuns } from '../model/runs-model.js'
import { registerActionRoutes } from './action-routes.js'
import type { ConsoleContext } from './console-context.js'
import { ConsoleErrorCode, ConsoleHttpError } from './console-error.js'
import { registerReadRoutes } from './read-routes.js'
import { registerReviewComponentRoutes } from './review-component-routes.js'
import {
  allowedHosts,
  checkCsrf,
  checkHost,
  checkOrigin,
  formatHost,
  randomSecret,
  sameSecret,
  securityHeaders,
  Sessions,
  sessionCookie,
} from './security.js'
import { loadUiFiles, UI_NOT_BUILT_PAGE, type UiFiles } from './static-ui.js'
import { registerStreamRoute, type OpenStreams } from './stream-route.js'

/** Options of {@link createConsoleServer}. */
export interface ConsoleServerOptions {
  readonly store: Store
  readonly actions: ConsoleActions
  readonly clock?: Clock | undefined
  /** @default '127.0.0.1' */
  readonly host?: string | undefined
  /** 0 = any free port. @default 3001 */
  readonly port?: number | undefined
  /** The access token of the printed link. @default 32 random bytes, base64url */
  readonly token?: string | undefined
  /** The runs this process serves live (`faust run`); unset for `faust console`. */
  readonly live?: LiveRuns | undefined
  readonly logger?: Logger | undefined
  /** The built UI's folder. @default packages/console/dist/ui */
  readonly uiDir?: string | undefined
  /** How often `/api/stream` polls the store. @default 500 */
  readonly pollMs?: number | undefined
  /**
   * The folder of the tasks' built review views (`faust run` writes
   * `<data folder>/review/<task>.js`); unset: the generic view only.
   */
  readonly reviewDir?: string | null | undefined
}

/** A listening console. */
export interface ConsoleServer {
  /** The link to open: `http://<host>:<port>/?token=<token>`. */
  readonly url: string
  /** The address without the token. */
  readonly origin: string
  readonly port: number
  /** Stops listening and ends open event streams. */
  close(): Promise<void>
}

/** Request bodies above this are refused (CONSOLE_BODY_TOO_LARGE). */
export const MAX_BODY_BYTES = 64 * 1024

const DEFAULT_UI_DIR = fileURLToPath(new URL('../../dist/ui', import.meta.url))

function packageVersion(): string {
  try {
    const raw = readFileSync(new URL('../../package.json', import.meta.url), 'utf8')
    const version = (JSON.parse(raw) as { version?: unknown }).version
    return typeof version === 'string' ? version : 'unknown'
  } catch {
    return 'unknown'
  }
}

/**
 * Serves the operator's console (docs/console.md): the UI's files, the read
 * API and its event stream over the store, and the actions, which it hands
 * to `actions` (they write the audit log). Access needs the token once
 * (`GET /?token=` sets an HttpOnly session cookie); every POST needs the
 * session's CSRF header and the console's own Origin; every request needs
 * the console's own Host.
 */
export async function createConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const host = options.host ?? '127.0.0.1'
  const token = options.token ?? randomSecret()
  const ctx: ConsoleContext = {
    store: options.store,
    actions: options.actions,
    clock: options.clock ?? systemClock,
    live: options.live ?? null,
    sessions: new Sessions(),
    logger: options.logger ?? silentLogger,
    version: packageVersion(),
    pollMs: options.pollMs ?? 500,
    reviewDir: options.reviewDir ?? null,
  }
  const ui = await loadUiFiles(options.uiDir ?? DEFAULT_UI_DIR)
  const streams: OpenStreams = new Set()
  const app = Fastify({ logger: false, bodyLimit: MAX_BODY_BYTES, return503OnClosing: true })
  app.removeContentTypeParser('text/plain')
  let hosts: ReadonlySet<string> = new Set()
  installGuards(app, ctx, () => hosts)
  installErrorHandlers(app, ctx)
  registerLogin(app, ctx, token)
  registerReadRoutes(app, ctx)
  registerReviewComponentRoutes(app, ctx)
  registerActionRoutes(app, ctx)
  registerStreamRoute(app, ctx, streams)
  registerUi(app, ui)
  await app.listen({ host, port: options.port ?? 3001 })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  hosts = allowedHosts(host, port)
  const origin = `http://${formatHost(host)}:${String(port)}`
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    close: async () => {
      for (const stream of streams) stream.end()
      await app.close()
    },
  }
}

/** Host for everything; a session for `/api/`; Origin and CSRF for anything but GET/HEAD. */
function installGuards(
  app: FastifyInstance,
  ctx: ConsoleContext,
  hosts: () => ReadonlySet<string>,
): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(securityHeaders())
    checkHost(request, hosts())
    const path = request.url.split('?')[0] ?? ''
    const reading = request.method === 'GET' || request.method === 'HEAD'
    if (!path.startsWith('/api/') && reading) return
    const csrf = ctx.sessions.csrfOf(request)
    if (csrf === null)
      throw new ConsoleHttpError(
        401,
        ConsoleErrorCode.CONSOLE_AUTH_REQUIRED,
        'not logged in: open the link faust printed (console: …?token=…)',
      )
    if (reading) return
    checkOrigin(request)
    checkCsrf(request, csrf)
  })
}

/** Every failure becomes `{ error: { code, message } }`; nothing internal leaks. */
function installErrorHandlers(app: FastifyInstance, ctx: ConsoleContext): void {
  app.setErrorHandler((error: FastifyError | ConsoleHttpError, _request, reply) => {
    if (error instanceof ConsoleHttpError) return sendError(reply, error)
    const status = error.statusCode ?? 500
    if (status === 413)
      return sendError(
        reply,
        new ConsoleHttpError(
          413,
          ConsoleErrorCode.CONSOLE_BODY_TOO_LARGE,
          'request body too large',
        ),
      )
    if (status >= 400 && status < 500)
      return sendError(
        reply,
        new ConsoleHttpError(status, ConsoleErrorCode.CONSOLE_BAD_REQUEST, error.message),
      )
    ctx.logger.error({ err: error }, 'console request failed')
    return sendError(
      reply,
      new ConsoleHttpError(500, ConsoleErrorCode.CONSOLE_INTERNAL, 'internal error (see the log)'),
    )
  })
  app.setNotFoundHandler((_request, reply) =>
    sendError(reply, new ConsoleHttpError(404, ConsoleErrorCode.CONSOLE_NOT_FOUND, 'not found')),
  )
}

function sendError(reply: FastifyReply, error: ConsoleHttpError): FastifyReply {
  return reply
    .code(error.statusCode)
    .header('cache-control', 'no-store')
    .send({ error: { code: error.code, message: error.message } })
}

/** `GET /?token=`: a session cookie for the right token, then `/` without it in the address bar. */
function registerLogin(app: FastifyInstance, ctx: ConsoleContext, token: string): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET') return
    const [path, search] = request.url.split('?', 2)
    if (path !== '/' || search === undefined) return
    const given = new URLSearchParams(search).get('token')
    if (given === null) return
    if (!sameSecret(given, token))
      throw new ConsoleHttpError(401, ConsoleErrorCode.CONSOLE_BAD_TOKEN, 'wrong console token')
    const session = ctx.sessions.open()
    return reply
      .code(303)
      .header('set-cookie', sessionCookie(session.id))
      .header('location', '/')
      .send()
  })
}

/** The built UI's files (or a page saying it is not built) at their own paths. */
function registerUi(app: FastifyInstance, ui: UiFiles): void {
  app.get('/', (_request, reply) => {
    const index = ui.get('/index.html')
    return index === undefined
      ? reply.type('text/html; charset=utf-8').send(UI_NOT_BUILT_PAGE)
      : reply.type(index.contentType).header('cache-control', 'no-store').send(index.body)
  })
  for (const [path, file] of ui) {
    if (path === '/index.html') continue
    app.get(path, (_request, reply) => reply.type(file.contentType).send(file.body))
  }
}
