import type { ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'
import { changedRuns, cursorMoved, readCursor, type ChangeCursor } from '../model/change-cursor.js'
import type { ConsoleContext } from './console-context.js'
import { securityHeaders } from './security.js'

/** Polls between keep-alive comments (30 × 500 ms = 15 s), under common proxy idle limits. */
const KEEP_ALIVE_POLLS = 30

/** The open streams, ended when the server closes. */
export type OpenStreams = Set<ServerResponse>

/**
 * `GET /api/stream`: Server-Sent Events. Each stream polls the store's
 * change cursor on the injected clock (cheap indexed maxima) and sends
 * `event: changed` with the runs that moved and the last audit id only when
 * it moved; a comment keeps the connection alive. The timer is cleared when
 * the browser goes away.
 */
export function registerStreamRoute(
  app: FastifyInstance,
  ctx: ConsoleContext,
  streams: OpenStreams,
): void {
  app.get('/api/stream', async (request, reply) => {
    let cursor: ChangeCursor = await readCursor(ctx.store)
    reply.hijack()
    const res = reply.raw
    res.writeHead(200, {
      ...securityHeaders(),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    })
    res.write(`retry: 2000\n\n`)
    streams.add(res)
    let polling = false
    let polls = 0
    const poll = async (): Promise<void> => {
      const next = await readCursor(ctx.store)
      if (cursorMoved(cursor, next)) {
        const changes = await changedRuns(ctx.store, cursor, next)
        res.write(`event: changed\ndata: ${JSON.stringify(changes)}\n\n`)
      } else if (++polls % KEEP_ALIVE_POLLS === 0) res.write(': keep-alive\n\n')
      cursor = next
    }
    const timer = ctx.clock.setInterval(() => {
      // One poll at a time: a slow store skips ticks rather than piling them up.
      if (polling) return
      polling = true
      poll()
        .catch((error: unknown) => {
          ctx.logger.error({ err: error }, 'console stream poll failed')
        })
        .finally(() => {
          polling = false
        })
    }, ctx.pollMs)
    request.raw.on('close', () => {
      ctx.clock.clearInterval(timer)
      streams.delete(res)
    })
  })
}
