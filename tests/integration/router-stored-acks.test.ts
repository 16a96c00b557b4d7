// The router with a backend that announces the `stored_acks` extension
// (docs/protocol.md §14): a submission's reply is held until the backend says
// it is stored, failures are retryable 503/504 with Retry-After, a retry keeps
// its Idempotency-Key, and a restarted router answers ids it does not know
// *yet* with 503 AGENT_NOT_YET_KNOWN / close 4503 until the backend re-announced.
import { readdir } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { CloseCode } from '@faust/protocol'
import { startTestRouter, type TestBackend, type TestRouter } from '@faust/testing'
import { errorBody, expectNoStack, expectNothingRelayed, registerAgent } from '@faust/testing/http'

const SUBMITTED = { status: 'Submitted!' }
const KEY = '9b2f6a4e-1c3d-4e5f-8a7b-0c1d2e3f4a5b'

interface Answer {
  readonly status: number
  readonly body: unknown
  readonly retryAfter: string | null
}

/** POSTs JSON with an optional Idempotency-Key; the answer with its Retry-After. */
async function post(t: TestRouter, path: string, body: unknown, key?: string): Promise<Answer> {
  const response = await fetch(t.router.url + path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key === undefined ? {} : { 'idempotency-key': key }),
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  })
  const text = await response.text()
  expectNoStack(text)
  return {
    status: response.status,
    body: JSON.parse(text) as unknown,
    retryAfter: response.headers.get('retry-after'),
  }
}

const submitTask = (t: TestRouter, agentId: string, key?: string): Promise<Answer> =>
  post(t, '/submit_task', { USED_AGENT_ID: agentId, final_data: { answer: 'cat' } }, key)

/** A router with an extension backend that re-announced `1001` (in task). */
async function startWithExtension(): Promise<TestRouter & { readonly backend: TestBackend }> {
  const t = await startTestRouter()
  const backend = await t.connectBackend({ storedAcks: true })
  backend.announce()
  await registerAgent(t, backend, '1001')
  return { ...t, backend }
}

/** Marks when a promise settles, so a test can tell a held reply from an answered one. */
function watch<T>(promise: Promise<T>): { readonly settled: () => boolean } {
  let settled = false
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  )
  return { settled: () => settled }
}

describe('stored_acks: held submission replies', () => {
  it('holds /submit_task until faust_stored, relaying faust_ack with the Idempotency-Key', async () => {
    await using t = await startWithExtension()
    const { backend } = t
    const answer = submitTask(t, '1001', KEY)
    const progress = watch(answer)
    const packet = await backend.next('submit_unit')
    expect(packet['faust_ack']).toEqual({
      request_id: expect.any(String) as unknown,
      submission_id: KEY,
    })
    expect(packet.data).toEqual({ answer: 'cat' })
    // A round trip on the backend socket: the router has handled everything before it.
    await backend.requestStatuses()
    expect([progress.settled(), t.router.stats().pendingRequests]).toEqual([false, 1])
    backend.stored(packet)
    expect(await answer).toEqual({ status: 200, body: SUBMITTED, retryAfter: null })
  })

  it('holds /submit_metadata the same way', async () => {
    await using t = await startWithExtension()
    const { backend } = t
    const answer = post(t, '/submit_metadata', { USED_AGENT_ID: '1001', metadata: { tips: 'x' } })
    const packet = await backend.next('submit_metadata')
    expect(packet['faust_ack']).toEqual({
      request_id: expect.any(String) as unknown,
      submission_id: null,
    })
    backend.stored(packet)
    expect((await answer).body).toEqual({ status: 'Submitted metadata' })
  })

  it('answers a store failure 503 STORE_FAILED with Retry-After; the retry with the same key succeeds', async () => {
    await using t = await startWithExtension()
    const { backend } = t
    const first = submitTask(t, '1001', KEY)
    backend.stored(await backend.next('submit_unit'), { ok: false, code: 'STORE_FAILED' })
    expect(await first).toEqual({
      status: 503,
      body: errorBody('STORE_FAILED'),
      retryAfter: expect.stringMatching(/^\d+$/) as unknown,
    })
    const retry = submitTask(t, '1001', KEY)
    const again = await backend.next('submit_unit')
    expect((again['faust_ack'] as { submission_id: unknown }).submission_id).toBe(KEY)
    backend.stored(again)
    expect((await retry).status).toBe(200)
  })

  it('removes the uploads of a submission the backend refused, and keeps those of one it may still store', async () => {
    await using t = await startWithExtension()
    const { backend } = t
    const upload = (): Promise<Response> => {
      const form = new FormData()
      form.append('USED_AGENT_ID', '1001')
      form.append('final_string_data', '{}')
      form.append('photo', new Blob(['bytes']), 'a.png')
      return fetch(t.router.url + '/submit_task', {
        method: 'POST',
        headers: { 'idempotency-key': KEY },
        body: form,
        signal: AbortSignal.timeout(5000),
      })
    }
    const refused = upload()
    const packet = await backend.next('submit_unit')
    expect(await readdir(t.uploadDir)).toHaveLength(1)
    backend.stored(packet, { ok: false, code: 'STORE_FAILED' })
    expect((await refused).status).toBe(503)
    expect(await readdir(t.uploadDir)).toEqual([])
    const unanswered = upload()
    await backend.next('submit_unit')
    t.clock.advance(30_000)
    expect((await unanswered).status).toBe(504)
    expect(await readdir(t.uploadDir)).toHaveLength(1)
  })

  it('answers 409 when the backend refuses other data for an agent that already handed in', async () => {
    await using t = await startWithExtension()
    const { backend } = t
    const answer = submitTask(t, '1001', KEY)
    backend.stored(await backend.next('submit_unit'), { ok: false, code: 'ALREADY_SUBMITTED' })
    expect(await answer).toEqual({
      status: 409,
      body: errorBody('ALREADY_SUBMITTED'),
      retryAfter: null,
    })
  })

  it('answers 503 BACKEND_UNAVAILABLE with Retry-After when the backend leaves while a reply is held', async () => {
    await using t = await startWithExtension()
    const { backend } = t
    const answer = submitTask(t, '1001', KEY)
    await backend.next('submit_unit')
    await backend.close()
    const result = await answer
    expect([result.status, result.body]).toEqual([503, errorBody('BACKEND_UNAVAILABLE')])
    expect(result.retryAfter).toMatch(/^\d+$/)
  })

  it('answers 504 TIMEOUT with Retry-After when no confirmation comes within the request timeout', async () => {
    await using t = await startWithExtension()
    const { backend } = t
    const answer = submitTask(t, '1001', KEY)
    await backend.next('submit_unit')
    t.clock.advance(30_000)
    const result = await answer
    expect([result.status, result.body]).toEqual([504, errorBody('TIMEOUT')])
    expect(result.retryAfter).toMatch(/^\d+$/)
  })

  it('refuses a malformed Idempotency-Key with 400 PACKET_INVALID and relays nothing', async () => {
    await using t = await startWithExtension()
    const { backend } = t
    for (const key of ['has space', 'x'.repeat(129), 'semi;colon']) {
      const result = await submitTask(t, '1001', key)
      expect({ key, result: [result.status, result.body] }).toEqual({
        key,
        result: [400, errorBody('PACKET_INVALID')],
      })
    }
    await expectNothingRelayed(backend)
  })
})

describe('stored_acks: a restarted router', () => {
  it('answers 503 AGENT_NOT_YET_KNOWN (Retry-After: 1) and closes sockets with 4503 until the backend re-announced', async () => {
    const before = await startWithExtension()
    await before.backend.close()
    await before[Symbol.asyncDispose]()

    // The router comes back empty (on another port here); the page retries there.
    await using t = await startTestRouter()
    expect(await submitTask(t, '1001', KEY)).toEqual({
      status: 503,
      body: errorBody('AGENT_NOT_YET_KNOWN'),
      retryAfter: '1',
    })
    const page = await t.connectAgent('1001')
    page.alive()
    expect((await page.waitClosed()).code).toBe(CloseCode.AGENT_NOT_YET_KNOWN)

    const backend = await t.connectBackend({ storedAcks: true })
    backend.announce({ '1001': 'in task' })
    await backend.requestStatuses()
    const reopened = await t.connectAgent('1001')
    expect((await reopened.connectAlive()).data).toEqual({ status: 'in task' })
    const answer = submitTask(t, '1001', KEY)
    backend.stored(await backend.next('submit_unit'))
    expect((await answer).status).toBe(200)
    // After the announcement an id nobody issued is a stranger again.
    const stranger = await t.connectAgent('never-issued')
    stranger.alive()
    expect((await stranger.waitClosed()).code).toBe(CloseCode.AGENT_UNKNOWN)
  })

  it('puts Retry-After on /request_agent 503 BACKEND_UNAVAILABLE too', async () => {
    await using t = await startTestRouter()
    const result = await post(t, '/request_agent', {
      provider_data: { worker_name: 'w', agent_registration_id: 'w-1' },
    })
    expect([result.status, result.body]).toEqual([503, errorBody('BACKEND_UNAVAILABLE')])
    expect(result.retryAfter).toMatch(/^\d+$/)
  })
})
