import type { Clock } from '@faust/protocol/constants'
import { ClientError } from './client-error.js'
import type { FetchLike, RequestInitLike } from './ports.js'
import type { ProviderUrlParams } from './provider.js'

/** What {@link HttpClient} needs. */
export interface HttpClientOptions {
  readonly fetch: FetchLike
  /** The router's origin, e.g. `https://example.org:3000`. */
  readonly baseUrl: string
  readonly clock: Clock
  /** An unanswered request fails with `TIMEOUT` after this long. */
  readonly timeoutMs: number
  /** Query parameters added to every request (the provider's). */
  readonly urlParams: () => ProviderUrlParams | null
}

/** One request: a JSON body or a multipart form, and extra query parameters. */
export interface HttpRequest {
  readonly json?: unknown
  readonly form?: FormData
  readonly query?: ProviderUrlParams
  /** Extra request headers (`Idempotency-Key`). */
  readonly headers?: Record<string, string>
  readonly signal?: AbortSignal
}

/**
 * The router's REST surface as JSON in, JSON out. Every failure is a
 * {@link ClientError}: `NETWORK`, `TIMEOUT` and 5xx are retryable; a Faust
 * router's `{ error: { code, message } }` body becomes the error's code and message.
 */
export class HttpClient {
  readonly #options: HttpClientOptions

  constructor(options: HttpClientOptions) {
    this.#options = options
  }

  /** GETs `path` and returns the parsed JSON. */
  get(path: string, request: HttpRequest = {}): Promise<unknown> {
    return this.#send(path, { method: 'GET' }, request)
  }

  /** POSTs `request.json` or `request.form` to `path` and returns the parsed JSON. */
  post(path: string, request: HttpRequest): Promise<unknown> {
    const { headers } = request
    const init: RequestInitLike =
      request.form === undefined
        ? {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body: JSON.stringify(request.json),
          }
        : // fetch sets the multipart boundary itself.
          { method: 'POST', body: request.form, ...(headers && { headers }) }
    return this.#send(path, init, request)
  }

  async #send(path: string, init: RequestInitLike, request: HttpRequest): Promise<unknown> {
    const { fetch, baseUrl, clock, timeoutMs, urlParams } = this.#options
    const url = new URL(path, baseUrl)
    // Provider parameters win over ours, as in the reference.
    for (const [key, value] of Object.entries({ ...request.query, ...urlParams() })) {
      url.searchParams.set(key, String(value))
    }
    const controller = new AbortController()
    const outer = request.signal
    const onAbort = (): void => {
      controller.abort()
    }
    outer?.addEventListener('abort', onAbort, { once: true })
    let timedOut = false
    const timer = clock.setTimeout(() => {
      timedOut = true
      controller.abort()
    }, timeoutMs)
    let status: number
    let ok: boolean
    let text: string
    let retryAfter: string | null | undefined
    try {
      if (outer?.aborted === true) throw new Error('aborted')
      const response = await fetch(url.href, { ...init, signal: controller.signal })
      ;({ status, ok } = response)
      retryAfter = response.headers?.get('retry-after')
      text = await response.text()
    } catch (cause) {
      if (timedOut) {
        throw new ClientError('TIMEOUT', `no answer from the server within ${timeoutMs} ms`, {
          retryable: true,
          cause,
        })
      }
      if (outer?.aborted === true) throw new ClientError('ABORTED', 'stopped', { cause })
      throw new ClientError('NETWORK', 'could not reach the server', { retryable: true, cause })
    } finally {
      clock.clearTimeout(timer)
      outer?.removeEventListener('abort', onAbort)
    }
    const body = parseJson(text)
    if (!ok) throw httpError(status, body, retryAfterMs(retryAfter, clock.now()))
    if (body === undefined) {
      throw new ClientError(
        'BAD_RESPONSE',
        `the server answered ${path} with something else than JSON`,
      )
    }
    return body
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

function httpError(status: number, body: unknown, retryAfterMs: number | null): ClientError {
  const retryable = status >= 500 || status === 408 || status === 429
  const options = { status, retryable, retryAfterMs }
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error
  if (typeof error?.code === 'string' && typeof error.message === 'string') {
    return new ClientError(error.code as ClientError['code'], error.message, options)
  }
  return new ClientError('HTTP', `the server answered HTTP ${status}`, options)
}

/** `Retry-After` as milliseconds from `now`: delay-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now: number): number | null {
  if (header == null || header.trim() === '') return null
  const seconds = Number(header)
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now
  return Number.isFinite(ms) ? Math.max(0, ms) : null
}
