import { systemClock, silentLogger } from '@faust/protocol'
import type { Clock, Logger } from '@faust/protocol'
import { ProviderError } from '../../util/backend-error.js'

// The HTTP half of the Prolific provider: one place that authenticates, times
// out, retries, follows pagination and turns failures into ProviderErrors.
// Prolific's API reference: https://docs.prolific.com/api-reference/introduction
// (authentication: header `Authorization: Token <token>`).

/** How the client reaches Prolific. */
export interface ProlificClientOptions {
  /** Base URL, e.g. `https://api.prolific.com` (paths start with `/api/v1/`). */
  readonly apiUrl: string
  /** The API token; sent only to `apiUrl`'s origin and never put in a message or log. */
  readonly token: string
  readonly fetch?: typeof fetch | undefined
  /** Used for the waits between retries. */
  readonly clock?: Clock | undefined
  readonly logger?: Logger | undefined
  /** One request's limit (default 30 s). */
  readonly timeoutMs?: number | undefined
  /** Tries per call, the first included (default 5). */
  readonly maxAttempts?: number | undefined
  /** First backoff (default 500 ms), doubled per retry up to `maxDelayMs` (default 30 s). */
  readonly baseDelayMs?: number | undefined
  readonly maxDelayMs?: number | undefined
  /** Jitter source in [0, 1) (default Math.random). */
  readonly random?: (() => number) | undefined
}

/** What one call may add to the defaults. */
export interface ProlificRequestOptions {
  readonly body?: unknown
  /**
   * False for calls that must never be sent twice (Prolific's bonus `pay`
   * is not idempotent): only failures that certainly happened before the
   * request left (connection refused) are retried.
   */
  readonly retry?: boolean | undefined
}

/** A transient failure that may be retried, with the wait the server asked for. */
class Transient extends Error {
  readonly retryAfterMs: number | undefined
  readonly status: number | undefined
  /** False when the request certainly never reached the server. */
  readonly sent: boolean

  constructor(
    message: string,
    details: { retryAfterMs?: number | undefined; status?: number | undefined; sent: boolean },
  ) {
    super(message)
    this.retryAfterMs = details.retryAfterMs
    this.status = details.status
    this.sent = details.sent
  }
}

const DEFAULT_TIMEOUT_MS = 30_000
const DEFAULT_ATTEMPTS = 5
/** Honour Retry-After up to this; a longer wait is the caller's business. */
const MAX_RETRY_AFTER_MS = 120_000

/** An authenticated, retrying Prolific API client. */
export class ProlificClient {
  readonly #base: URL
  readonly #token: string
  readonly #fetch: typeof fetch
  readonly #clock: Clock
  readonly #logger: Logger
  readonly #timeoutMs: number
  readonly #attempts: number
  readonly #baseDelay: number
  readonly #maxDelay: number
  readonly #random: () => number

  constructor(options: ProlificClientOptions) {
    this.#base = new URL(options.apiUrl)
    this.#token = options.token
    this.#fetch = options.fetch ?? fetch
    this.#clock = options.clock ?? systemClock
    this.#logger = options.logger ?? silentLogger
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.#attempts = Math.max(1, options.maxAttempts ?? DEFAULT_ATTEMPTS)
    this.#baseDelay = options.baseDelayMs ?? 500
    this.#maxDelay = options.maxDelayMs ?? 30_000
    this.#random = options.random ?? Math.random
  }

  /** One call; the parsed JSON answer (null for an empty body). */
  async request(
    method: string,
    path: string,
    options: ProlificRequestOptions = {},
  ): Promise<unknown> {
    const url = this.#resolve(path)
    const label = this.#redact(`${method} ${url.pathname}`)
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#once({ method, url, label, body: options.body })
      } catch (error) {
        if (!(error instanceof Transient)) throw error
        const mayRetry = options.retry !== false || !error.sent
        if (!mayRetry || attempt >= this.#attempts) {
          throw new ProviderError(
            'PROVIDER_UNAVAILABLE',
            `Prolific ${label}: ${error.message}${attempt > 1 ? ` (after ${attempt} tries)` : ''}`,
            { status: error.status },
          )
        }
        const delay = this.#delay(attempt, error.retryAfterMs)
        this.#logger.warn(
          { call: label, attempt, delayMs: delay },
          `Prolific: ${error.message}; retrying`,
        )
        await this.#sleep(delay)
      }
    }
  }

  /**
   * Every item of a list endpoint, page by page. Prolific's lists answer
   * `{results, _links: {next: {href}}}`; `next` null or absent ends the list.
   */
  async *list(path: string): AsyncGenerator<unknown> {
    let next: string | null = path
    while (next !== null) {
      const page = await this.request('GET', next)
      if (!isRecord(page) || !Array.isArray(page['results'])) {
        throw new ProviderError(
          'PROVIDER_RESPONSE_INVALID',
          `Prolific GET ${path}: no results list`,
        )
      }
      yield* page['results'] as unknown[]
      next = nextLink(page)
    }
  }

  #resolve(path: string): URL {
    const url = new URL(path, this.#base)
    // A next link pointing elsewhere would carry the token off-site.
    if (url.origin !== this.#base.origin) {
      throw new ProviderError(
        'PROVIDER_RESPONSE_INVALID',
        `Prolific sent a link to another host (${url.origin})`,
      )
    }
    return url
  }

  async #once(call: { method: string; url: URL; label: string; body: unknown }): Promise<unknown> {
    const { method, url, label, body } = call
    let response: Response
    const signal = AbortSignal.timeout(this.#timeoutMs)
    try {
      response = await this.#fetch(url, {
        method,
        headers: {
          Authorization: `Token ${this.#token}`,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal,
      })
    } catch (error) {
      throw this.#networkFailure(error, signal)
    }
    const text = await readText(response, signal).catch((error: unknown) => {
      throw this.#networkFailure(error, signal)
    })
    if (response.ok) return parseJson(text, label)
    throw this.#httpFailure(response, text, label)
  }

  #networkFailure(error: unknown, signal: AbortSignal): Transient {
    if (signal.aborted)
      return new Transient(`no answer within ${this.#timeoutMs} ms`, { sent: true })
    const code = causeCode(error)
    // A refused connection certainly never delivered the request.
    const sent = code !== 'ECONNREFUSED'
    return new Transient(`network error (${code ?? this.#redact(String(error))})`, { sent })
  }

  #httpFailure(response: Response, text: string, label: string): Error {
    const status = response.status
    const detail = this.#redact(errorDetail(text))
    if (status === 429 || status >= 500) {
      return new Transient(`${status}${detail ? ` ${detail}` : ''}`, {
        retryAfterMs: retryAfterMs(response, this.#clock),
        status,
        // A 429 is refused before Prolific acts on it, so even a pay call may be sent again.
        sent: status !== 429,
      })
    }
    const message = `Prolific ${label}: ${status}${detail ? ` ${detail}` : ''}`
    return new ProviderError(codeForStatus(status, detail), message, { status })
  }

  #delay(attempt: number, retryAfter: number | undefined): number {
    const backoff = Math.min(this.#maxDelay, this.#baseDelay * 2 ** (attempt - 1))
    const jittered = Math.round(backoff * (0.5 + this.#random() / 2))
    return retryAfter === undefined
      ? jittered
      : Math.min(MAX_RETRY_AFTER_MS, Math.max(retryAfter, jittered))
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.#clock.setTimeout(resolve, ms))
  }

  #redact(text: string): string {
    return this.#token === '' ? text : text.split(this.#token).join('[redacted]')
  }
}

function codeForStatus(status: number, detail: string): ProviderError['code'] {
  if (status === 401 || status === 403) return 'PROVIDER_AUTH_FAILED'
  if (status === 404) return 'PROVIDER_NOT_FOUND'
  if (status === 409) return 'PROVIDER_CONFLICT'
  if (status === 402 || /insufficient|balance|top.?up/i.test(detail))
    return 'PROVIDER_INSUFFICIENT_FUNDS'
  return 'PROVIDER_REQUEST_INVALID'
}

/** Retry-After in delta-seconds or as an HTTP date, in ms from now. */
function retryAfterMs(response: Response, clock: Clock): number | undefined {
  const value = response.headers.get('retry-after')
  if (value === null) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - clock.now())
}

/** Prolific's errors look like `{"error": {"title", "detail"}}`; anything else is cut short. */
function errorDetail(text: string): string {
  try {
    const body: unknown = JSON.parse(text)
    const error = isRecord(body) && isRecord(body['error']) ? body['error'] : body
    if (isRecord(error)) {
      const parts = [error['title'], error['detail']].filter(
        (part) => part !== undefined && part !== null,
      )
      if (parts.length > 0)
        return parts
          .map((part) => (typeof part === 'string' ? part : JSON.stringify(part)))
          .join(': ')
    }
  } catch {
    // not JSON: fall through
  }
  return text.slice(0, 200)
}

function parseJson(text: string, label: string): unknown {
  if (text.trim() === '') return null
  try {
    return JSON.parse(text) as unknown
  } catch (cause) {
    throw new ProviderError(
      'PROVIDER_RESPONSE_INVALID',
      `Prolific ${label}: the answer is not JSON`,
      { cause },
    )
  }
}

async function readText(response: Response, signal: AbortSignal): Promise<string> {
  if (signal.aborted) throw signal.reason
  return response.text()
}

function nextLink(page: Record<string, unknown>): string | null {
  const links = page['_links'] ?? page['links']
  if (!isRecord(links)) return null
  const next = links['next']
  if (typeof next === 'string') return next
  if (isRecord(next) && typeof next['href'] === 'string') return next['href']
  return null
}

function causeCode(error: unknown): string | undefined {
  const cause = isRecord(error) ? error['cause'] : undefined
  if (isRecord(cause) && typeof cause['code'] === 'string') return cause['code']
  if (isRecord(error) && typeof error['code'] === 'string') return error['code']
  return undefined
}

/** A plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
