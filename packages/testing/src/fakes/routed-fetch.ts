import type { FetchLike, ResponseLike } from '@faust/client'

/** A request the routed fetch answered. */
export interface SeenRequest {
  readonly path: string
  readonly body: unknown
}

/** Answers by path: a JSON body, or a function of the request body. */
export type Routes = Record<string, unknown>

/** A `fetch` that answers at once from `routes` (404 otherwise) and records requests. */
export function routedFetch(routes: Routes): { fetch: FetchLike; seen: SeenRequest[] } {
  const seen: SeenRequest[] = []
  const fetch: FetchLike = (url, init) => {
    const path = new URL(url).pathname
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : init.body
    seen.push({ path, body })
    const route = routes[path]
    const answer: unknown =
      typeof route === 'function' ? (route as (b: unknown) => unknown)(body) : route
    const response: ResponseLike =
      answer === undefined
        ? { ok: false, status: 404, text: () => Promise.resolve('not found') }
        : { ok: true, status: 200, text: () => Promise.resolve(JSON.stringify(answer)) }
    return Promise.resolve(response)
  }
  return { fetch, seen }
}
