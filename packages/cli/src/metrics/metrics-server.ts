import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What a scrape answers: Prometheus text, and the same as prom-client's JSON (for `faust simulate`'s sum). */
export interface MetricsSource {
  readonly contentType: string
  text(): Promise<string>
  json(): Promise<unknown>
}

/** A running metrics endpoint. */
export interface MetricsServer extends AsyncDisposable {
  /** `http://127.0.0.1:<port>/metrics` */
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

/**
 * Serves `GET /metrics` (Prometheus text format) and `GET /metrics.json`
 * (prom-client's JSON) on 127.0.0.1 with node:http: nothing else (404),
 * no request body read, few sockets, short timeouts. Port 0 takes any free port.
 */
export async function startMetricsServer(
  source: MetricsSource,
  options: { readonly port: number },
): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0]
    const known = path === '/metrics' || path === '/metrics.json'
    if (!known || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(known ? 405 : 404, { 'content-type': 'text/plain; charset=utf-8' })
      response.end(known ? 'method not allowed\n' : 'not found\n')
      return
    }
    const body = path === '/metrics' ? source.text() : source.json().then((v) => JSON.stringify(v))
    body.then(
      (text) => {
        const type = path === '/metrics' ? source.contentType : 'application/json'
        response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' })
        response.end(request.method === 'HEAD' ? undefined : text)
      },
      (error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
        response.end(`metrics failed: ${error instanceof Error ? error.message : String(error)}\n`)
      },
    )
  })
  bound(server)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ host: '127.0.0.1', port: options.port }, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  let closing: Promise<void> | undefined
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    }))
  return {
    url: `http://127.0.0.1:${String(port)}/metrics`,
    port,
    close,
    [Symbol.asyncDispose]: close,
  }
}

/** A scraper needs one or two sockets and a few seconds; nothing more is allowed to pile up. */
function bound(server: Server): void {
  server.maxConnections = 16
  server.headersTimeout = 5000
  server.requestTimeout = 10_000
  server.keepAliveTimeout = 5000
  server.maxHeadersCount = 50
}
