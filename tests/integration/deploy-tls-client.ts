// HTTPS and WSS clients that trust one test certificate, for the deploy tests:
// Node's fetch takes no CA per call, and NODE_EXTRA_CA_CERTS is read only at
// start, so these use node:https and ws with `ca`.
import { request } from 'node:https'
import { WebSocket } from 'ws'
import { within } from '@faust/testing'

/** An answer read in full. */
export interface TlsAnswer {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly text: string
}

/** What to send. */
export interface TlsRequest {
  readonly method?: string
  readonly headers?: Record<string, string>
  readonly body?: string | Buffer
}

/** One HTTPS request to `url`, trusting `ca` (bounded: 10 s). */
export function httpsRequest(url: string, ca: string, sent: TlsRequest = {}): Promise<TlsAnswer> {
  const answer = new Promise<TlsAnswer>((resolve, reject) => {
    const outgoing = request(url, { method: sent.method ?? 'GET', headers: sent.headers, ca })
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => {
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        })
      })
      response.on('error', reject)
    })
    outgoing.on('error', reject)
    outgoing.end(sent.body)
  })
  return within(answer, 10_000, `${sent.method ?? 'GET'} ${url}`)
}

/** POSTs JSON and parses the JSON answer. */
export async function postJsonTls(
  url: string,
  ca: string,
  body: unknown,
): Promise<{ status: number; body: unknown }> {
  const answer = await httpsRequest(url, ca, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: answer.status, body: JSON.parse(answer.text) as unknown }
}

/** A multipart body as a page's FormData would send it: fields, then one file. */
export function multipartBody(
  fields: Record<string, string>,
  file: { field: string; name: string; bytes: Buffer },
): { contentType: string; body: Buffer } {
  const boundary = `faust-deploy-${String(Date.now())}`
  const parts = Object.entries(fields).map(
    ([name, value]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  )
  const fileHead =
    `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n'
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat([
      Buffer.from(parts.join('') + fileHead),
      file.bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  }
}

/** A worker's socket through the proxy: packets received, in order, awaited one by one. */
export interface TlsSocket {
  readonly socket: WebSocket
  send(packet: Record<string, unknown>): void
  /** The next packet of this type (bounded: 5 s). */
  next(type: string): Promise<Record<string, unknown>>
  close(): Promise<void>
}

/** Opens `url` as a browser would (with `origin`), trusting `ca` (bounded: 5 s). */
export async function openTlsSocket(url: string, ca: string, origin: string): Promise<TlsSocket> {
  const socket = new WebSocket(url, { ca, headers: { origin }, perMessageDeflate: false })
  const unread: Record<string, unknown>[] = []
  const waiters: (() => void)[] = []
  socket.on('message', (data: Buffer) => {
    unread.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>)
    for (const wake of waiters.splice(0)) wake()
  })
  await within(
    new Promise<void>((resolve, reject) => {
      socket.once('open', resolve)
      socket.once('error', reject)
    }),
    5000,
    `the socket ${url} to open`,
  )
  const take = (type: string): Record<string, unknown> | undefined => {
    const index = unread.findIndex((packet) => packet['packet_type'] === type)
    return index === -1 ? undefined : unread.splice(index, 1)[0]
  }
  const next = (type: string): Promise<Record<string, unknown>> =>
    within(
      new Promise((resolve) => {
        const check = (): void => {
          const packet = take(type)
          if (packet === undefined) waiters.push(check)
          else resolve(packet)
        }
        check()
      }),
      5000,
      `a '${type}' packet`,
    )
  return {
    socket,
    send: (packet) => {
      socket.send(JSON.stringify(packet))
    },
    next,
    close: async () => {
      if (socket.readyState === WebSocket.CLOSED) return
      const closed = new Promise((resolve) => socket.once('close', resolve))
      socket.close()
      await within(closed, 5000, 'the socket to close')
    },
  }
}
