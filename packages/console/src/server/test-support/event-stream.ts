import { request, type ClientRequest } from 'node:http'
import type { ConsoleServer } from '../console-server.js'

/** One Server-Sent Event as received. */
export interface StreamEvent {
  readonly event: string
  readonly data: unknown
}

/** An open `/api/stream`: the events so far, a wait for the next, and a way to hang up. */
export interface OpenStream {
  readonly events: readonly StreamEvent[]
  /** The next event not taken yet (waiting for it). */
  next(): Promise<StreamEvent>
  close(): void
}

/** Opens the console's event stream with `cookie`; resolves once the first bytes arrived. */
export async function openStream(server: ConsoleServer, cookie: string): Promise<OpenStream> {
  const events: StreamEvent[] = []
  let taken = 0
  let wake: (() => void) | undefined
  let buffer = ''
  let req: ClientRequest | undefined
  await new Promise<void>((resolve, reject) => {
    req = request({
      host: '127.0.0.1',
      port: server.port,
      path: '/api/stream',
      headers: { cookie },
    })
    req.on('response', (res) => {
      res.setEncoding('utf8')
      let first = true
      res.on('data', (chunk: string) => {
        buffer += chunk
        let end
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const fields = new Map<string, string>()
          for (const line of block.split('\n')) {
            const at = line.indexOf(':')
            if (at > 0) fields.set(line.slice(0, at), line.slice(at + 1).trim())
          }
          const event = fields.get('event')
          const data = fields.get('data')
          if (event !== undefined && data !== undefined) {
            events.push({ event, data: JSON.parse(data) as unknown })
            wake?.()
          }
        }
        if (first) {
          first = false
          resolve()
        }
      })
    })
    req.on('error', reject)
    req.end()
  })
  return {
    events,
    next: async () => {
      while (events.length <= taken) await new Promise<void>((resolve) => (wake = resolve))
      return events[taken++] as StreamEvent
    },
    close: () => req?.destroy(),
  }
}
