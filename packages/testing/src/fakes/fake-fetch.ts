import type { FetchLike, RequestInitLike, ResponseLike } from '@faust/client'

/** One request the client made, waiting for the test to answer it. */
export interface FakeRequest {
  readonly url: URL
  readonly method: string
  readonly headers: Record<string, string>
  /** The parsed JSON body, or the FormData. */
  readonly body: unknown
  readonly signal: AbortSignal | undefined
  /** Answers with `status`, `body` (JSON-encoded unless a string) and response `headers`. */
  respond(status: number, body: unknown, headers?: Record<string, string>): void
  /** Fails like `fetch` does when the network is down. */
  fail(): void
}

/**
 * A `fetch` whose requests wait until the test answers them. `next()` waits
 * for the next request the client makes.
 */
export function fakeFetch(): {
  fetch: FetchLike
  requests: FakeRequest[]
  next(): Promise<FakeRequest>
} {
  const requests: FakeRequest[] = []
  let unclaimed = 0
  const waiters: ((request: FakeRequest) => void)[] = []
  const fetch: FetchLike = (url: string, init: RequestInitLike) =>
    new Promise<ResponseLike>((resolve, reject) => {
      const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : init.body
      const request: FakeRequest = {
        url: new URL(url),
        method: init.method,
        headers: init.headers ?? {},
        body,
        signal: init.signal,
        respond(status, answer, headers = {}) {
          const text = typeof answer === 'string' ? answer : JSON.stringify(answer)
          resolve({
            ok: status >= 200 && status < 300,
            status,
            headers: { get: (name) => headers[name.toLowerCase()] ?? null },
            text: () => Promise.resolve(text),
          })
        },
        fail() {
          reject(new TypeError('fetch failed'))
        },
      }
      init.signal?.addEventListener('abort', () => {
        reject(new DOMException('This operation was aborted', 'AbortError'))
      })
      requests.push(request)
      const waiter = waiters.shift()
      if (waiter === undefined) unclaimed++
      else waiter(request)
    })
  return {
    fetch,
    requests,
    next() {
      if (unclaimed > 0) {
        const request = requests[requests.length - unclaimed]
        unclaimed--
        if (request !== undefined) return Promise.resolve(request)
      }
      return new Promise((resolve) => waiters.push(resolve))
    },
  }
}
