// Structural ports for what the client takes from its environment, declared
// as the minimal subset it uses, so that the browser's globals, Node's
// `fetch` and the `ws` package's WebSocket all fit without adapters.

/** The part of a `fetch` Response the client reads. */
export interface ResponseLike {
  readonly ok: boolean
  readonly status: number
  /** Read for `Retry-After`; optional so that minimal fakes fit. */
  readonly headers?: { get(name: string): string | null }
  text(): Promise<string>
}

/** The request options the client passes to `fetch`. */
export interface RequestInitLike {
  readonly method: string
  readonly headers?: Record<string, string>
  readonly body?: string | FormData
  readonly signal?: AbortSignal
}

/** A `fetch` function: the global one in browsers and Node 18+. */
export type FetchLike = (url: string, init: RequestInitLike) => Promise<ResponseLike>

// Handlers declared through a method so their parameter is checked
// bivariantly: the DOM's and `ws`'s handlers take richer event types.
type Handler<TEvent> = { bivarianceHack(event: TEvent): void }['bivarianceHack']

/** The part of a WebSocket the client uses: the browser's or `ws`'s. */
export interface SocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: Handler<unknown> | null
  onmessage: Handler<{ readonly data: unknown }> | null
  onclose: Handler<{ readonly code: number }> | null
  onerror: Handler<unknown> | null
}

/** A WebSocket constructor: `globalThis.WebSocket` or `ws`'s `WebSocket`. */
export type SocketConstructor = new (url: string) => SocketLike

/** The part of `window.location` the client reads. */
export interface LocationLike {
  readonly origin: string
}

/** The part of `sessionStorage` the client uses to keep a pending submission across a reload. */
export interface StorageLike {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}
