import type { ServerOptions } from 'node:http'

/** The deadlines of the router's HTTP server, from the router's options. */
export interface ServerTimeoutOptions {
  readonly headersTimeoutMs: number
  readonly bodyTimeoutMs: number
  readonly keepAliveTimeoutMs: number
}

/** The Fastify options that put them on Node's HTTP server. */
export interface FastifyTimeoutOptions {
  readonly keepAliveTimeout: number
  readonly requestTimeout: number
  readonly http: ServerOptions
}

/**
 * Node's defaults let a connection that never completes its headers live for
 * 60 s and check only every 30 s, so a peer that opens sockets and sends
 * nothing holds ~9 KiB and a file descriptor each for over a minute. The
 * check runs four times per headers timeout (at most once a second), so a
 * silent connection is closed within ~1.25 timeouts.
 */
export function serverTimeouts(options: ServerTimeoutOptions): FastifyTimeoutOptions {
  const checkEveryMs = Math.max(10, Math.min(1000, Math.floor(options.headersTimeoutMs / 4)))
  return {
    // Fastify sets these two on the server itself after creating it.
    keepAliveTimeout: options.keepAliveTimeoutMs,
    requestTimeout: options.bodyTimeoutMs,
    http: {
      headersTimeout: options.headersTimeoutMs,
      requestTimeout: options.bodyTimeoutMs,
      keepAliveTimeout: options.keepAliveTimeoutMs,
      connectionsCheckingInterval: checkEveryMs,
    },
  }
}
