import { describe, expect, it } from 'vitest'
import { STATUS_TO_TEXT_MAP } from './agent-status.js'
import { retryAfterMs } from './http-client.js'
import { memoryStorage } from './pending-submission.js'
import type { StorageLike } from './ports.js'
import { submissionDelayMs } from './retry.js'
import {
  TASK_CONFIG,
  agentDetails,
  register,
  settle,
  setup,
  type Harness,
  type SetupOptions,
} from '@faust/testing/client'
import type { FakeRequest } from '@faust/testing/fakes'

// Issue 11: a submission is retried until the router acknowledges it, kept in
// the storage across a reload, and a page that already handed in says so.

const KEY = 'faust:pending-submission:agent-1'

/** Jitter 0: every backoff wait is exactly half the capped delay. */
function durable(options: SetupOptions = {}): Harness & { storage: StorageLike } {
  const storage = memoryStorage()
  return { ...setup({ random: () => 0, storage, ...options }), storage }
}

function registrationWith(
  extra: Record<string, unknown>,
  agentId = 'agent-1',
): Record<string, unknown> {
  const answer = agentDetails(agentId)
  return { ...answer, data: { ...(answer['data'] as object), ...extra } }
}

/** Lets the client's retry timer come due and returns the request it makes. */
async function after(t: Harness, ms: number): Promise<FakeRequest> {
  await settle()
  t.clock.advance(ms)
  return t.http.next()
}

const UNAVAILABLE = { error: { code: 'BACKEND_UNAVAILABLE', message: 'no backend' } }

describe('submission retries', () => {
  it('retries network errors and 503 with the same Idempotency-Key, honouring Retry-After, then is saved', async () => {
    const t = durable()
    await register(t)
    const states: unknown[] = []
    t.client.subscribe(() => states.push(t.client.getSnapshot().submission?.state))
    const done = t.client.submit({ answer: 42 })
    const first = await t.http.next()
    const key = first.headers['idempotency-key']
    expect(key).toMatch(/^id-\d+$/)
    expect(first.headers['content-type']).toBe('application/json')
    expect(t.client.getSnapshot().submission).toEqual({ state: 'saving', attempts: 1, error: null })
    first.fail()
    // Attempt 1 backs off 1 s, half of it with jitter 0.
    await settle()
    t.clock.advance(499)
    await settle()
    expect(t.http.requests).toHaveLength(3)
    const second = await after(t, 1)
    expect(second.headers['idempotency-key']).toBe(key)
    expect(second.body).toEqual(first.body)
    second.respond(503, UNAVAILABLE, { 'retry-after': '3' })
    await settle()
    expect(t.client.getSnapshot().submission).toMatchObject({
      state: 'saving',
      attempts: 2,
      error: { code: 'BACKEND_UNAVAILABLE', retryAfterMs: 3000 },
    })
    // The backoff says 1 s; the router said 3 s.
    t.clock.advance(2999)
    await settle()
    expect(t.http.requests).toHaveLength(4)
    const third = await after(t, 1)
    expect(third.headers['idempotency-key']).toBe(key)
    expect(t.submitted).toEqual([])
    third.respond(200, { status: 'Submitted!' })
    await done
    expect(t.client.getSnapshot()).toMatchObject({
      status: 'ready',
      submittedData: { answer: 42 },
      submission: { state: 'saved', attempts: 3, error: null },
      blockedReason: null,
    })
    expect(t.submitted).toEqual([{ answer: 42 }])
    expect(t.storage.getItem(KEY)).toBeNull()
    expect(states).toContain('saving')
  })

  it('retries AGENT_NOT_YET_KNOWN (a restarted router) and 504', async () => {
    const t = durable()
    await register(t)
    const done = t.client.submit({ answer: 1 })
    ;(await t.http.next()).respond(
      503,
      { error: { code: 'AGENT_NOT_YET_KNOWN', message: 'not yet' } },
      { 'retry-after': '1' },
    )
    ;(await after(t, 1000)).respond(504, { error: { code: 'TIMEOUT', message: 'no ack' } })
    ;(await after(t, 1000)).respond(200, { status: 'Submitted!' })
    await done
    expect(t.http.requests.slice(2).map((r) => r.headers['idempotency-key'])).toEqual([
      'id-1',
      'id-1',
      'id-1',
    ])
  })

  it('does not retry a final 409: failed, blocked already_submitted, nothing kept', async () => {
    const t = durable()
    await register(t)
    const done = t.client.submit({ answer: 2 })
    expect(t.storage.getItem(KEY)).not.toBeNull()
    ;(await t.http.next()).respond(409, {
      error: { code: 'ALREADY_SUBMITTED', message: 'first one stands' },
    })
    await expect(done).rejects.toMatchObject({ code: 'ALREADY_SUBMITTED', status: 409 })
    t.clock.advance(60_000)
    await settle()
    expect(t.http.requests).toHaveLength(3)
    expect(t.client.getSnapshot()).toMatchObject({
      status: 'blocked',
      blockedReason: 'already_submitted',
      submission: { state: 'failed', attempts: 1, error: { code: 'ALREADY_SUBMITTED' } },
    })
    expect(t.storage.getItem(KEY)).toBeNull()
    expect(t.submitted).toEqual([])
  })

  it('blocks with agent_unknown on a 403', async () => {
    const t = durable()
    await register(t)
    const done = t.client.submit({ answer: 3 })
    ;(await t.http.next()).respond(403, { error: { code: 'AGENT_UNKNOWN', message: 'who?' } })
    await expect(done).rejects.toMatchObject({ code: 'AGENT_UNKNOWN' })
    expect(t.client.getSnapshot()).toMatchObject({
      status: 'blocked',
      blockedReason: 'agent_unknown',
      blockedExplanation: expect.stringContaining('could not be saved') as unknown,
    })
  })

  it('fails after submitMaxAttempts but keeps the submission; retrySubmission sends it with its key', async () => {
    const t = durable({ submitMaxAttempts: 2 })
    await register(t)
    const done = t.client.submit({ answer: 4 })
    ;(await t.http.next()).fail()
    ;(await after(t, 500)).fail()
    await expect(done).rejects.toMatchObject({ code: 'NETWORK' })
    expect(t.client.getSnapshot()).toMatchObject({
      status: 'ready',
      submission: { state: 'failed', attempts: 2, error: { code: 'NETWORK' } },
    })
    expect(JSON.parse(t.storage.getItem(KEY) ?? 'null')).toEqual({
      agentId: 'agent-1',
      key: 'id-1',
      kind: 'task',
      data: { answer: 4 },
    })
    const again = t.client.retrySubmission()
    const request = await t.http.next()
    expect(request.headers['idempotency-key']).toBe('id-1')
    request.respond(200, { status: 'Submitted!' })
    await again
    expect(t.client.getSnapshot().submission?.state).toBe('saved')
    expect(t.client.retrySubmission()).toBeNull()
  })

  it('sends one submission for a double click', async () => {
    const t = durable()
    await register(t)
    const first = t.client.submit({ answer: 5 })
    const second = t.client.submit({ answer: 5 })
    ;(await t.http.next()).respond(200, { status: 'Submitted!' })
    await Promise.all([first, second])
    expect(t.http.requests).toHaveLength(3)
    expect(t.submitted).toHaveLength(1)
  })

  it('retries files in memory only: multipart cannot be kept across a reload', async () => {
    const t = durable()
    await register(t)
    const photo = new Blob(['png'], { type: 'image/png' })
    const done = t.client.submitTask({ caption: 'c' }, { files: { photo } })
    const first = await t.http.next()
    expect(t.storage.getItem(KEY)).toBeNull()
    first.respond(502, 'Bad Gateway')
    const second = await after(t, 500)
    expect(second.body).toBe(first.body)
    expect(second.headers['idempotency-key']).toBe(first.headers['idempotency-key'])
    second.respond(200, { status: 'Submitted!' })
    await done
    expect(t.client.getSnapshot().submission?.state).toBe('saved')
  })

  it('retries metadata with a key, without touching the submission state', async () => {
    const t = durable()
    await register(t)
    const done = t.client.submitMetadata({ type: 'feedback', text: 'ok' })
    const first = await t.http.next()
    first.fail()
    const second = await after(t, 500)
    expect(second.headers['idempotency-key']).toBe(first.headers['idempotency-key'])
    second.respond(200, { status: 'Submitted metadata' })
    expect(await done).toEqual({ status: 'Submitted metadata' })
    expect(t.client.getSnapshot().submission).toBeUndefined()
  })

  it('still retries when the storage refuses to keep the submission', async () => {
    const refusing: StorageLike = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError')
      },
      removeItem: () => undefined,
    }
    const t = durable({ storage: refusing })
    await register(t)
    const done = t.client.submit({ answer: 6 })
    ;(await t.http.next()).fail()
    ;(await after(t, 500)).respond(200, { status: 'Submitted!' })
    await done
    expect(t.warnings).toEqual([
      'The pending submission could not be kept across a reload: Error: QuotaExceededError',
    ])
  })

  it('stop() ends the retries and keeps the submission for a reload', async () => {
    const t = durable()
    await register(t)
    const done = t.client.submit({ answer: 7 })
    ;(await t.http.next()).fail()
    await settle()
    t.client.stop()
    await expect(done).rejects.toMatchObject({ code: 'ABORTED' })
    t.clock.advance(60_000)
    await settle()
    expect(t.http.requests).toHaveLength(3)
    expect(t.storage.getItem(KEY)).not.toBeNull()
  })
})

describe('after a reload', () => {
  it('resends the pending submission with the same key once registered as the same agent', async () => {
    const before = durable()
    await register(before)
    void before.client.submit({ answer: 8 }).catch(() => undefined)
    const lost = await before.http.next()
    const key = lost.headers['idempotency-key']
    before.client.stop()

    // The reload: a new page (client) on the same sessionStorage.
    const after = durable({ storage: before.storage })
    await register(after)
    const resent = await after.http.next()
    expect(resent.url.pathname).toBe('/submit_task')
    expect(resent.headers['idempotency-key']).toBe(key)
    expect(resent.body).toMatchObject({ USED_AGENT_ID: 'agent-1', final_data: { answer: 8 } })
    expect(after.client.getSnapshot()).toMatchObject({
      status: 'ready',
      submission: { state: 'saving', attempts: 1 },
    })
    resent.respond(200, { status: 'Submitted!' })
    await settle()
    expect(after.client.getSnapshot()).toMatchObject({
      status: 'submitted',
      blockedReason: 'already_submitted',
      submittedData: { answer: 8 },
      submission: { state: 'saved', attempts: 1 },
    })
    expect(after.submitted).toEqual([{ answer: 8 }])
    expect(after.storage.getItem(KEY)).toBeNull()
  })

  it('resends pending onboarding answers, and becomes the agent they admit', async () => {
    const storage = memoryStorage()
    storage.setItem(
      'faust:pending-submission:onboarding_5',
      JSON.stringify({ agentId: 'onboarding_5', key: 'k-5', kind: 'onboarding', data: { q: 1 } }),
    )
    const t = durable({ storage })
    await register(t, agentDetails('onboarding_5'))
    const resent = await t.http.next()
    expect(resent.url.pathname).toBe('/submit_onboarding')
    expect(resent.headers['idempotency-key']).toBe('k-5')
    resent.respond(200, agentDetails('agent-6'))
    await settle()
    expect(t.client.getSnapshot()).toMatchObject({
      status: 'ready',
      agentId: 'agent-6',
      submission: { state: 'idle' },
    })
    expect(storage.getItem('faust:pending-submission:onboarding_5')).toBeNull()
  })

  it('does not resend another agent’s pending submission', async () => {
    const storage = memoryStorage()
    storage.setItem(
      'faust:pending-submission:agent-0',
      JSON.stringify({ agentId: 'agent-0', key: 'k', kind: 'task', data: 1 }),
    )
    const t = durable({ storage })
    await register(t)
    await settle()
    expect(t.http.requests).toHaveLength(2)
    expect(t.client.getSnapshot().status).toBe('ready')
  })

  it('shows submitted, with the stored answer, when the registration says the agent handed in', async () => {
    const t = durable()
    await register(
      t,
      registrationWith({ agent_status: 'completed', submitted_data: { answer: 'stored' } }),
    )
    expect(t.client.getSnapshot()).toMatchObject({
      status: 'submitted',
      loaded: true,
      submittedData: { answer: 'stored' },
      submission: { state: 'saved' },
      blockedReason: 'already_submitted',
      blockedExplanation: 'You have already submitted this task; your answers are saved.',
    })
    await settle()
    expect(t.http.requests).toHaveLength(2)
  })

  it('drops a pending submission the backend already stored, and tells the provider', async () => {
    const storage = memoryStorage()
    storage.setItem(KEY, JSON.stringify({ agentId: 'agent-1', key: 'k', kind: 'task', data: 9 }))
    const t = durable({ storage })
    await register(t, registrationWith({ agent_status: 'completed' }))
    expect(t.client.getSnapshot()).toMatchObject({ status: 'submitted', submittedData: 9 })
    expect(storage.getItem(KEY)).toBeNull()
    expect(t.submitted).toEqual([9])
    await settle()
    expect(t.http.requests).toHaveLength(2)
  })

  it('blocks with the status text when the agent ended without handing in', async () => {
    const t = durable()
    await register(t, registrationWith({ agent_status: 'expired' }))
    expect(t.client.getSnapshot()).toMatchObject({
      status: 'blocked',
      blockedReason: 'expired',
      blockedExplanation: STATUS_TO_TEXT_MAP['expired'],
    })
  })

  it('treats a live status as a working agent (Mephisto sends none at all)', async () => {
    const t = durable()
    await register(t, registrationWith({ agent_status: 'in task' }))
    expect(t.client.getSnapshot().status).toBe('ready')
    const config = t.http.requests[0]
    expect(config?.url.pathname).toBe('/task_config.json')
    expect(TASK_CONFIG.mephisto_task_version).toBe('2.0.4')
  })
})

describe('backoff', () => {
  const backoff = { retryDelayMs: (n: number) => 1000 * 2 ** (n - 1), maxRetryDelayMs: 30_000 }

  it('is exponential with equal jitter, capped, and never shorter than Retry-After', () => {
    expect(submissionDelayMs(1, null, { ...backoff, random: () => 0 })).toBe(500)
    expect(submissionDelayMs(1, null, { ...backoff, random: () => 0.999 })).toBeCloseTo(999.5)
    expect(submissionDelayMs(3, null, { ...backoff, random: () => 0.5 })).toBe(3000)
    expect(submissionDelayMs(20, null, { ...backoff, random: () => 0.999 })).toBeLessThan(30_000)
    expect(submissionDelayMs(1, 5000, { ...backoff, random: () => 0 })).toBe(5000)
    expect(submissionDelayMs(20, 1000, { ...backoff, random: () => 0 })).toBe(15_000)
  })

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(retryAfterMs('2', now)).toBe(2000)
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000)
    expect(retryAfterMs('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0)
    expect(retryAfterMs('soon', now)).toBeNull()
    expect(retryAfterMs(null, now)).toBeNull()
    expect(retryAfterMs(undefined, now)).toBeNull()
  })
})
