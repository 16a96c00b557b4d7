import { randomUUID } from 'node:crypto'
import { tmpdir } from 'node:os'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { systemClock, type Clock, type Logger } from '@faust/protocol'
import { BACKEND_AUTH_MODES, type BackendAuth } from './auth/loopback-backend.js'
import { ROUTER_DEFAULTS as D, type RouterDefaults } from './router-defaults.js'
import {
  resolveSurfaceOptions,
  type ResolvedSurfaceOptions,
  type SurfaceOptions,
} from './surface-options.js'

/** Options of {@link createRouter}. Every limit has a default; only `backendToken` is required. */
export interface RouterOptions extends SurfaceOptions {
  /** The secret the backend presents (`Authorization: Bearer …` or `?token=…`). At least 16 characters. */
  readonly backendToken: string
  /** @default '127.0.0.1' */
  readonly host?: string | undefined
  /** 0 picks a free port. @default 3000 */
  readonly port?: number | undefined
  /** Folder served as the task page (`index.html`, `bundle.js`, `task_config.json`, …). */
  readonly staticDir?: string | undefined
  /**
   * `token`: the backend must present `backendToken`. `loopback`: a socket
   * from this machine that presents nothing may also be the backend (for
   * Mephisto's Python backend, which cannot send a secret); never one with an
   * `Origin` or proxy headers, never one from another address. @default 'token'
   */
  readonly backendAuth?: BackendAuth | undefined
  /** Accept agent ids the backend never named (for Mephisto's Python backend after a router restart). @default false */
  readonly allowUnknownAgents?: boolean | undefined
  /** A live agent silent this long becomes `disconnect`. @default 15000 */
  readonly heartbeatTimeoutMs?: number | undefined
  /** A live agent whose socket closed has this long to reconnect. @default 10000 */
  readonly reconnectGraceMs?: number | undefined
  /** `/request_agent` and `/submit_onboarding` answer within this. @default 30000 */
  readonly requestTimeoutMs?: number | undefined
  /** Where uploads are stored under generated names. @default `<tmp>/faust-uploads` */
  readonly uploadDir?: string | undefined
  /** Largest uploaded file. @default 10 MiB */
  readonly maxUploadBytes?: number | undefined
  /** Most files in one submission. @default 10 */
  readonly maxUploadFiles?: number | undefined
  /** Largest JSON body, or multipart text field. @default 5 MiB */
  readonly maxBodyBytes?: number | undefined
  /** Largest frame from a worker's socket; bigger closes it with 1009. @default 1 MiB */
  readonly maxAgentFrameBytes?: number | undefined
  /** Largest frame from the backend. @default 64 MiB */
  readonly maxBackendFrameBytes?: number | undefined
  /** Backend-bound packets kept while the backend is away. @default 10000 */
  readonly maxBackendBacklog?: number | undefined
  /** Packets kept per agent while it has no socket. @default 1000 */
  readonly maxAgentQueue?: number | undefined
  /** Registrations held at once. @default 10000 */
  readonly maxPendingRequests?: number | undefined
  /** @default systemClock */
  readonly clock?: Clock | undefined
  /** A pino logger (or anything with its methods). @default pino at `logLevel` */
  readonly logger?: Logger | undefined
  /** Used when no `logger` is given. @default 'info' */
  readonly logLevel?: string | undefined
  /** Request ids. @default crypto.randomUUID */
  readonly generateId?: (() => string) | undefined
  // ---- duplicate submissions (relay/submitted-agents.ts)
  /**
   * Submitted agents remembered, to refuse other data with 409 ALREADY_SUBMITTED; 0 = off.
   * As many as the ended agents by default: about 200 bytes each, so 100,000
   * grew the router by 20 MB over a 100,000-agent run. @default 10000
   */
  readonly maxSubmittedAgents?: number | undefined
  /** How long a submitted agent is remembered. @default 86400000 (24 h) */
  readonly submittedAgentTtlMs?: number | undefined

  // JSON shape limits on every frame and body (see JsonLimits in @faust/protocol).
  /** Deepest nesting of objects and arrays. @default 64 */
  readonly maxJsonDepth?: number | undefined
  /** Most keys in one object. @default 10000 */
  readonly maxJsonKeys?: number | undefined
  /** Most values in one frame or body. @default 1000000 */
  readonly maxJsonNodes?: number | undefined
  /** Longest string or key from a worker; the backend's are bounded by its frame limit. @default maxBodyBytes */
  readonly maxJsonStringLength?: number | undefined
  // ---- memory bounds and deadlines (docs/router.md "Memory and deadlines")
  /** Agents whose unit ended, remembered to answer their late packets; oldest forgotten first. @default 10000 */
  readonly maxEndedAgents?: number | undefined
  /** A socket whose first packet has not identified it (agent or backend `alive`) by then is closed with 4408. @default 10000 */
  readonly identifyTimeoutMs?: number | undefined
  /** An HTTP request (or a connection that sent nothing) must complete its headers within this. @default 10000 */
  readonly headersTimeoutMs?: number | undefined
  /** A whole HTTP request, body included, must arrive within this (Node's `requestTimeout`). @default 300000 */
  readonly bodyTimeoutMs?: number | undefined
  /** An idle keep-alive HTTP connection is closed after this. @default 10000 */
  readonly keepAliveTimeoutMs?: number | undefined
  // ---- end memory bounds and deadlines
}

/** {@link RouterOptions} with every default applied and checked. */
export type ResolvedRouterOptions = {
  readonly [
    TKey in Exclude<keyof RouterOptions, 'staticDir' | 'logger' | keyof SurfaceOptions>
  ]-?: Exclude<RouterOptions[TKey], undefined>
} & {
  readonly staticDir: string | undefined
  readonly logger: Logger | undefined
} & ResolvedSurfaceOptions

/** Applies defaults and rejects bad values with a TypeError or RangeError naming the option. */
export function resolveRouterOptions(options: RouterOptions): ResolvedRouterOptions {
  checkBackendToken(options.backendToken)
  const { staticDir, uploadDir } = folders(options)
  return {
    backendToken: options.backendToken,
    host: options.host ?? D.host,
    port: integerOption(options, 'port', { min: 0, max: 65535 }),
    staticDir,
    backendAuth: backendAuth(options.backendAuth ?? D.backendAuth),
    allowUnknownAgents: options.allowUnknownAgents ?? D.allowUnknownAgents,
    heartbeatTimeoutMs: integerOption(options, 'heartbeatTimeoutMs', { min: 100 }),
    reconnectGraceMs: integerOption(options, 'reconnectGraceMs', { min: 0 }),
    requestTimeoutMs: integerOption(options, 'requestTimeoutMs', { min: 1 }),
    uploadDir,
    maxUploadBytes: integerOption(options, 'maxUploadBytes', { min: 1 }),
    maxUploadFiles: integerOption(options, 'maxUploadFiles', { min: 0 }),
    maxBodyBytes: integerOption(options, 'maxBodyBytes', { min: 1024 }),
    maxAgentFrameBytes: integerOption(options, 'maxAgentFrameBytes', { min: 1024 }),
    maxBackendFrameBytes: integerOption(options, 'maxBackendFrameBytes', { min: 1024 }),
    maxBackendBacklog: integerOption(options, 'maxBackendBacklog', { min: 0 }),
    maxAgentQueue: integerOption(options, 'maxAgentQueue', { min: 1 }),
    maxPendingRequests: integerOption(options, 'maxPendingRequests', { min: 1 }),
    clock: options.clock ?? systemClock,
    logger: options.logger,
    logLevel: options.logLevel ?? D.logLevel,
    generateId: options.generateId ?? randomUUID,
    // ---- duplicate submissions
    maxSubmittedAgents: integerOption(options, 'maxSubmittedAgents', { min: 0 }),
    submittedAgentTtlMs: integerOption(options, 'submittedAgentTtlMs', { min: 1 }),
    ...resolveSurfaceOptions(options),
    ...jsonLimits(options),
    ...memoryBounds(options),
  }
}

function checkBackendToken(token: unknown): void {
  if (typeof token !== 'string') {
    throw new TypeError('backendToken must be a string: the secret the backend presents')
  }
  if (token.length < 16) {
    throw new RangeError('backendToken must be at least 16 characters long')
  }
}

/** The page and upload folders, absolute; uploads must never be served as the page. */
function folders(options: RouterOptions): { staticDir: string | undefined; uploadDir: string } {
  const staticDir = options.staticDir === undefined ? undefined : resolve(options.staticDir)
  const uploadDir = resolve(options.uploadDir ?? join(tmpdir(), D.uploadDirName))
  if (staticDir !== undefined && isInside(uploadDir, staticDir)) {
    throw new RangeError('uploadDir must not be inside staticDir: uploads would be public')
  }
  return { staticDir, uploadDir }
}

/** The JSON shape limits on workers' frames and bodies. */
function jsonLimits(options: RouterOptions): {
  maxJsonDepth: number
  maxJsonKeys: number
  maxJsonNodes: number
  maxJsonStringLength: number
} {
  return {
    maxJsonDepth: integerOption(options, 'maxJsonDepth', { min: 1 }),
    maxJsonKeys: integerOption(options, 'maxJsonKeys', { min: 1 }),
    maxJsonNodes: integerOption(options, 'maxJsonNodes', { min: 1 }),
    // A string may be as long as the largest body that can carry it.
    maxJsonStringLength: integer(
      'maxJsonStringLength',
      options.maxJsonStringLength ?? options.maxBodyBytes ?? D.maxBodyBytes,
      { min: 1 },
    ),
  }
}

/** The memory bounds and deadlines, checked against each other as Node requires. */
function memoryBounds(options: RouterOptions): {
  maxEndedAgents: number
  identifyTimeoutMs: number
  headersTimeoutMs: number
  bodyTimeoutMs: number
  keepAliveTimeoutMs: number
} {
  const headersTimeoutMs = integerOption(options, 'headersTimeoutMs', { min: 1 })
  const bodyTimeoutMs = integerOption(options, 'bodyTimeoutMs', { min: 1 })
  // Node refuses a headers timeout longer than the whole request's.
  if (headersTimeoutMs > bodyTimeoutMs) {
    throw new RangeError(
      `headersTimeoutMs (${String(headersTimeoutMs)}) must not be longer than bodyTimeoutMs (${String(bodyTimeoutMs)})`,
    )
  }
  return {
    maxEndedAgents: integerOption(options, 'maxEndedAgents', { min: 0 }),
    identifyTimeoutMs: integerOption(options, 'identifyTimeoutMs', { min: 1 }),
    headersTimeoutMs,
    bodyTimeoutMs,
    keepAliveTimeoutMs: integerOption(options, 'keepAliveTimeoutMs', { min: 1 }),
  }
}

/** The whole-number options that have a default in `ROUTER_DEFAULTS`. */
type IntegerOption = {
  [TKey in keyof RouterOptions & keyof RouterDefaults]-?: RouterDefaults[TKey] extends number
    ? TKey
    : never
}[keyof RouterOptions & keyof RouterDefaults]

/** The option `name`, or its default, checked to be a whole number within `bounds`. */
function integerOption(
  options: RouterOptions,
  name: IntegerOption,
  bounds: { min: number; max?: number },
): number {
  return integer(name, options[name] ?? D[name], bounds)
}

function backendAuth(value: string): BackendAuth {
  const mode = BACKEND_AUTH_MODES.find((candidate) => candidate === value)
  if (mode === undefined) {
    throw new RangeError(
      `backendAuth must be one of ${BACKEND_AUTH_MODES.join(', ')}, got ${value}`,
    )
  }
  return mode
}

function integer(
  name: string,
  value: number,
  { min, max = Number.MAX_SAFE_INTEGER }: { min: number; max?: number },
): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${name} must be an integer, got ${String(value)}`)
  }
  if (value < min || value > max) {
    throw new RangeError(
      `${name} must be between ${String(min)} and ${String(max)}, got ${String(value)}`,
    )
  }
  return value
}

function isInside(child: string, parent: string): boolean {
  const path = relative(parent, child)
  return path === '' || (!path.startsWith('..') && !isAbsolute(path))
}
