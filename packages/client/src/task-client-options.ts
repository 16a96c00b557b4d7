import { systemClock, type Clock } from '@faust/protocol/constants'
import { DEFAULT_LIVE_CONFIG, type LiveConfig } from './live-config.js'
import { defaultStorage } from './pending-submission.js'
import type { FetchLike, LocationLike, SocketConstructor, StorageLike } from './ports.js'
import { globalProvider, type TaskProvider } from './provider.js'
import { randomUuid } from './random-uuid.js'
import { defaultRetryDelayMs } from './retry.js'

/** Options of {@link createTaskClient}; in a browser every one has a default. */
export interface TaskClientOptions {
  /** The router's origin. @default `location.origin` */
  readonly baseUrl?: string
  /** The router's socket. @default `ws(s)://<host of baseUrl>/` */
  readonly socketUrl?: string
  /** Where `baseUrl` comes from when it is not given. @default `globalThis.location` */
  readonly location?: LocationLike
  /** @default `globalThis.fetch` */
  readonly fetch?: FetchLike
  /** A WebSocket constructor, e.g. the `ws` package's in Node; null for none. @default `globalThis.WebSocket` */
  readonly WebSocket?: SocketConstructor | null
  /** @default systemClock */
  readonly clock?: Clock
  /** The crowd provider. @default {@link globalProvider}() (`wrap_crowd_source.js`'s globals) */
  readonly provider?: TaskProvider
  /** Checked against `block_mobile`. @default `navigator.userAgent` */
  readonly userAgent?: string
  /** Ids for `update_id` and `request_id`. @default `crypto.randomUUID` (with a fallback) */
  readonly generateId?: () => string
  /** A request without an answer fails with `TIMEOUT` after this long. @default 40000 */
  readonly requestTimeoutMs?: number
  /** Delay before retry number `attempt` (from 1), for requests and reconnects. @default 1 s doubling, capped at 30 s */
  readonly retryDelayMs?: (attempt: number) => number
  /** Tries of the config load and the registration, the first included. @default 6 */
  readonly maxAttempts?: number
  /** Tries of one submission, the first included; retryable failures are retried until then. @default Infinity */
  readonly submitMaxAttempts?: number
  /** The longest wait between two tries of a submission, unless the server's `Retry-After` is longer. @default 30000 */
  readonly maxRetryDelayMs?: number
  /** Jitter of submission retries: a number in [0, 1). @default Math.random */
  readonly random?: () => number
  /** Where an unacknowledged submission is kept across a reload. @default `sessionStorage`, else memory */
  readonly storage?: StorageLike
  /** The task is live: without WebSockets the worker is blocked (`no_websockets`) before registering. @default false */
  readonly live?: boolean
  /** Live connection timings and limits. */
  readonly liveConfig?: Partial<LiveConfig>
  /** Where non-fatal problems are reported. @default `console.warn` */
  readonly warn?: (message: string) => void
}

/** {@link TaskClientOptions} with every default applied. */
export interface ResolvedTaskClientOptions {
  readonly baseUrl: string
  readonly socketUrl: string
  readonly fetch: FetchLike
  readonly WebSocket: SocketConstructor | null
  readonly clock: Clock
  readonly provider: TaskProvider
  readonly userAgent: string
  readonly generateId: () => string
  readonly requestTimeoutMs: number
  readonly retryDelayMs: (attempt: number) => number
  readonly maxAttempts: number
  readonly submitMaxAttempts: number
  readonly maxRetryDelayMs: number
  readonly random: () => number
  readonly storage: StorageLike
  readonly live: boolean
  readonly liveConfig: LiveConfig
  readonly warn: (message: string) => void
}

interface BrowserGlobals {
  readonly location?: LocationLike
  readonly fetch?: FetchLike
  readonly WebSocket?: SocketConstructor
  readonly navigator?: { readonly userAgent?: string }
}

/** Applies defaults from the browser's globals; throws a TypeError when one is missing. */
export function resolveTaskClientOptions(options: TaskClientOptions): ResolvedTaskClientOptions {
  const globals = globalThis as BrowserGlobals
  const baseUrl = options.baseUrl ?? (options.location ?? globals.location)?.origin
  if (baseUrl === undefined) {
    throw new TypeError(
      'baseUrl is required outside a browser: the router origin, e.g. http://localhost:3000',
    )
  }
  const fetch = options.fetch ?? globals.fetch?.bind(globalThis)
  if (fetch === undefined) throw new TypeError('fetch is required: no global fetch exists here')
  const maxAttempts = options.maxAttempts ?? 6
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be an integer of at least 1, got ${String(maxAttempts)}`)
  }
  return {
    baseUrl,
    socketUrl: options.socketUrl ?? new URL('/', baseUrl).href.replace(/^http/, 'ws'),
    fetch,
    WebSocket: options.WebSocket === undefined ? (globals.WebSocket ?? null) : options.WebSocket,
    clock: options.clock ?? systemClock,
    provider: options.provider ?? globalProvider(),
    userAgent: options.userAgent ?? globals.navigator?.userAgent ?? '',
    generateId: options.generateId ?? randomUuid,
    requestTimeoutMs: options.requestTimeoutMs ?? 40_000,
    retryDelayMs: options.retryDelayMs ?? defaultRetryDelayMs,
    maxAttempts,
    submitMaxAttempts: options.submitMaxAttempts ?? Infinity,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 30_000,
    random: options.random ?? Math.random,
    storage: options.storage ?? defaultStorage(),
    live: options.live ?? false,
    liveConfig: { ...DEFAULT_LIVE_CONFIG, ...options.liveConfig },
    warn:
      options.warn ??
      ((message) => {
        console.warn(message)
      }),
  }
}
