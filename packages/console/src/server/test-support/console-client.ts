import { request } from 'node:http'
import type { ConsoleServer } from '../console-server.js'

/** A raw answer: status, headers and the body as text. */
export interface RawAnswer {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly text: string
}

/** One HTTP request over a real socket, with any headers (Host and Origin included). */
export async function rawRequest(
  server: ConsoleServer,
  input: {
    readonly method?: string
    readonly path: string
    readonly headers?: Record<string, string>
    readonly body?: string
  },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: input.method ?? 'GET',
        path: input.path,
        headers: input.headers,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          })
        })
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    if (input.body !== undefined) req.write(input.body)
    req.end()
  })
}

/** A logged-in browser: the session cookie and CSRF token, and JSON helpers. */
export interface ConsoleSession {
  readonly cookie: string
  readonly csrf: string
  get(path: string): Promise<RawAnswer>
  getJson<T = unknown>(path: string): Promise<T>
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<RawAnswer>
}

/** Logs in through `GET /?token=` as a browser would, then reads the CSRF token. */
export async function login(server: ConsoleServer): Promise<ConsoleSession> {
  const token = new URL(server.url).searchParams.get('token') ?? ''
  const answer = await rawRequest(server, { path: `/?token=${encodeURIComponent(token)}` })
  const setCookie = answer.headers['set-cookie']?.[0]
  if (answer.status !== 303 || setCookie === undefined)
    throw new Error(`login failed: ${String(answer.status)} ${answer.text}`)
  const cookie = setCookie.split(';')[0] ?? ''
  const session = await rawRequest(server, { path: '/api/session', headers: { cookie } })
  const { csrf } = JSON.parse(session.text) as { csrf: string }
  const get = (path: string): Promise<RawAnswer> =>
    rawRequest(server, { path, headers: { cookie } })
  return {
    cookie,
    csrf,
    get,
    getJson: async <T>(path: string): Promise<T> => {
      const answer = await get(path)
      if (answer.status !== 200) throw new Error(`${path}: ${String(answer.status)} ${answer.text}`)
      return JSON.parse(answer.text) as T
    },
    post: (path, body, headers = {}) =>
      rawRequest(server, {
        method: 'POST',
        path,
        headers: {
          cookie,
          'content-type': 'application/json',
          origin: server.origin,
          'x-faust-csrf': csrf,
          ...headers,
        },
        body: JSON.stringify(body),
      }),
  }
}
