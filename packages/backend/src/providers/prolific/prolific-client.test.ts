import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeProlific } from '@faust/testing/fakes'
import type { FakeProlific } from '@faust/testing/fakes'
import { ProviderError } from '../../util/backend-error.js'
import { ProlificClient } from './prolific-client.js'
import type { ProlificClientOptions } from './prolific-client.js'
import { instantClock } from './test-support/prolific-test-kit.js'

const TOKEN = 'sekrit-token-0123456789'
let fake: FakeProlific
let delays: number[]

function client(overrides: Partial<ProlificClientOptions> = {}): ProlificClient {
  const recorded = instantClock()
  delays = recorded.delays
  return new ProlificClient({
    apiUrl: fake.url,
    token: TOKEN,
    clock: recorded.clock,
    random: () => 0.5,
    ...overrides,
  })
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(ProviderError)
  return error as ProviderError
}

beforeEach(async () => {
  fake = await startFakeProlific({ token: TOKEN, pageSize: 2 })
})

afterEach(async () => {
  await fake.close()
})

describe('ProlificClient', () => {
  it('authenticates with "Token <token>"', async () => {
    await client().request('GET', '/api/v1/studies/')
    expect(fake.requests()[0]?.authorization).toBe(`Token ${TOKEN}`)
  })

  it('waits as long as Retry-After asks after a 429, then succeeds', async () => {
    fake.failNext({ status: 429, retryAfter: 7 })
    await client().request('GET', '/api/v1/studies/')
    expect(fake.requests().map((request) => request.status)).toEqual([429, 200])
    expect(delays).toEqual([7000])
  })

  it('retries a 503 with growing jittered backoff, then gives up as PROVIDER_UNAVAILABLE', async () => {
    fake.failNext({ status: 503, times: 10 })
    const error = await failure(
      client({ maxAttempts: 4, baseDelayMs: 100 }).request('GET', '/api/v1/studies/'),
    )
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true, status: 503 })
    expect(fake.requests()).toHaveLength(4)
    // random() = 0.5 → 75 % of 100, 200, 400.
    expect(delays).toEqual([75, 150, 300])
  })

  it('does not retry a 4xx and maps it to a stable code', async () => {
    fake.failNext({ status: 404 })
    expect(await failure(client().request('GET', '/api/v1/studies/nope/'))).toMatchObject({
      code: 'PROVIDER_NOT_FOUND',
      retryable: false,
    })
    expect(await failure(client().request('POST', '/api/v1/studies/', { body: {} }))).toMatchObject(
      {
        code: 'PROVIDER_REQUEST_INVALID',
        status: 400,
      },
    )
    expect(fake.requests()).toHaveLength(2)
    expect(delays).toEqual([])
  })

  it('maps 401 to PROVIDER_AUTH_FAILED without retrying and never shows the token', async () => {
    const error = await failure(
      new ProlificClient({
        apiUrl: fake.url,
        token: 'wrong-token-abc',
        clock: instantClock().clock,
      }).request('GET', '/api/v1/studies/'),
    )
    expect(error).toMatchObject({ code: 'PROVIDER_AUTH_FAILED', status: 401 })
    expect(error.message).not.toContain('wrong-token-abc')
    expect(fake.requests()).toHaveLength(1)
  })

  it('retries a request that timed out', async () => {
    fake.failNext({ delayMs: 2_000 })
    await client({ timeoutMs: 100 }).request('GET', '/api/v1/studies/')
    expect(fake.requests()).toHaveLength(2)
    expect(delays).toHaveLength(1)
  })

  it('retries a lost answer for an ordinary call, but never resends one marked retry: false', async () => {
    fake.failNext({ dropAfter: true })
    await client().request('GET', '/api/v1/studies/')
    expect(fake.requests()).toHaveLength(2)
    fake.failNext({ dropAfter: true })
    const error = await failure(client().request('GET', '/api/v1/studies/', { retry: false }))
    expect(error.code).toBe('PROVIDER_UNAVAILABLE')
    expect(fake.requests()).toHaveLength(3)
  })

  it('keeps the token out of network errors', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const error = await failure(
      client({ apiUrl: `http://127.0.0.1:${port}/${TOKEN}/`, maxAttempts: 2 }).request(
        'GET',
        'api/v1/studies/',
      ),
    )
    expect(error.code).toBe('PROVIDER_UNAVAILABLE')
    expect(error.message).toContain('ECONNREFUSED')
    expect(`${error.message} ${String(error.cause)}`).not.toContain(TOKEN)
  })

  it('follows pagination links to the end and refuses a link to another host', async () => {
    const prolific = client()
    for (let n = 0; n < 5; n++) {
      await prolific.request('POST', '/api/v1/participant-groups/', {
        body: { name: `g${n}`, workspace_id: 'w' },
      })
    }
    const names: unknown[] = []
    for await (const group of prolific.list('/api/v1/participant-groups/?workspace_id=w')) {
      names.push((group as { name: string }).name)
    }
    expect(names).toEqual(['g0', 'g1', 'g2', 'g3', 'g4'])
    expect(
      fake
        .requests()
        .filter((request) => request.method === 'GET')
        .map((request) => request.query['page']),
    ).toEqual([undefined, '2', '3'])
    await expect(
      prolific.request('GET', 'https://elsewhere.example/api/v1/studies/'),
    ).rejects.toMatchObject({
      code: 'PROVIDER_RESPONSE_INVALID',
    })
  })
})
