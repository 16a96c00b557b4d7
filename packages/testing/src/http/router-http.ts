// Shared helpers of the router-http-*.test.ts files: HTTP calls that also
// check no response leaks a stack trace, raw (un-normalised) requests, a
// registration shortcut and the "nothing reached the backend" sentinel.
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { expect } from 'vitest'
import type { ErrorCode } from '@faust/protocol'
import type { TestBackend } from '../test-backend.js'
import type { TestRouter } from '../test-router.js'
import type { AnyPacket } from '../test-socket.js'

/** What every helper here returns for one HTTP exchange. */
export interface HttpResult {
  readonly status: number
  readonly text: string
  readonly body: unknown
  readonly contentType: string | undefined
}

/** `provider_data` as `mephisto-task` sends it for the mock provider. */
export function providerData(worker: string): {
  worker_name: string
  agent_registration_id: string
} {
  return { worker_name: worker, agent_registration_id: `${worker}-assignment-1` }
}

/** Request ids `req-1`, `req-2`, … (the router's `generateId` option). */
export function sequentialIds(prefix = 'req'): () => string {
  let next = 0
  return () => `${prefix}-${String((next += 1))}`
}

/** The exact shape of every Faust error body: a code, a message and nothing else. */
export function errorBody(code: ErrorCode): unknown {
  return { error: { code, message: expect.stringMatching(/\S/) as unknown } }
}

/**
 * Fails if a response body carries a stack trace or a server path: "at …"
 * frames, `file:` URLs, `node_modules`, source files with line numbers, or
 * the temporary folders the test router lives in.
 */
export function expectNoStack(text: string): void {
  expect(text).not.toMatch(/(^|\\n|\n)\s*at\s+\S/)
  expect(text).not.toMatch(/\.(ts|js|mjs|cjs):\d+/)
  expect(text).not.toMatch(/node_modules|file:\/\/|\/work\//)
  expect(text).not.toContain(tmpdir())
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** `fetch` on the router, bounded in real time; checks the body for stack traces. */
export async function call(
  t: TestRouter,
  path: string,
  init: RequestInit = {},
): Promise<HttpResult> {
  const response = await fetch(t.router.url + path, { ...init, signal: AbortSignal.timeout(5000) })
  const text = await response.text()
  expectNoStack(text)
  return {
    status: response.status,
    text,
    body: parse(text),
    contentType: response.headers.get('content-type') ?? undefined,
  }
}

/** POSTs `body` as JSON (a string is sent as is, to test malformed bodies). */
export function postJson(t: TestRouter, path: string, body: unknown): Promise<HttpResult> {
  return call(t, path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

/** POSTs a multipart form, as the static-HTML blueprint does. */
export function postForm(t: TestRouter, path: string, form: FormData): Promise<HttpResult> {
  return call(t, path, { method: 'POST', body: form })
}

/**
 * A GET whose path is sent byte for byte: `fetch` would resolve `%2e%2e` and
 * `..` segments before they reach the server, hiding traversal attempts.
 */
export async function rawGet(
  t: TestRouter,
  path: string,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  const result = await new Promise<HttpResult>((resolve, reject) => {
    const outgoing = request(
      { host: t.router.host, port: t.router.port, path, method: 'GET', headers, timeout: 5000 },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('error', reject)
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          resolve({
            status: response.statusCode ?? 0,
            text,
            body: parse(text),
            contentType: response.headers['content-type'],
          })
        })
      },
    )
    outgoing.on('timeout', () => outgoing.destroy(new Error(`GET ${path} timed out`)))
    outgoing.on('error', reject)
    outgoing.end()
  })
  expectNoStack(result.text)
  return result
}

/** Registers a worker over HTTP; the backend admits it as `agentId`. */
export async function registerAgent(
  t: TestRouter,
  backend: TestBackend,
  agentId: string,
): Promise<void> {
  const response = postJson(t, '/request_agent', { provider_data: providerData(`w-${agentId}`) })
  await backend.registerNext(agentId)
  const answer = await response
  expect(answer.status).toBe(200)
  expect((answer.body as { data: { agent_id: unknown } }).data.agent_id).toBe(agentId)
}

/**
 * Proves nothing else reached the backend: packets on one socket arrive in
 * order, so anything the router sent before answering this status poll is
 * already unread when the answer arrives.
 */
export async function expectNothingRelayed(backend: TestBackend): Promise<void> {
  await backend.requestStatuses()
  expect(backend.takeUnread()).toEqual([])
}

/** The router's wire timestamp (float seconds) for the fake clock's now. */
export function wireNow(t: TestRouter): number {
  return t.clock.now() / 1000
}

/** An `agent_details` packet as Mephisto's backend sends it, with a fixed server time. */
export function agentDetails(
  subjectId: string,
  data: Record<string, unknown>,
): AnyPacket & Record<string, unknown> {
  return {
    packet_type: 'agent_details',
    subject_id: subjectId,
    data,
    client_timestamp: null,
    router_incoming_timestamp: null,
    router_outgoing_timestamp: null,
    server_timestamp: 1767225600.25,
  }
}
