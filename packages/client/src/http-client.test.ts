import { describe, expect, it } from 'vitest'
import { FakeClock } from '@faust/testing'
import { HttpClient } from './http-client.js'
import { fakeFetch } from '@faust/testing/fakes'

function client(): { http: HttpClient; fake: ReturnType<typeof fakeFetch>; clock: FakeClock } {
  const fake = fakeFetch()
  const clock = new FakeClock()
  const http = new HttpClient({
    fetch: fake.fetch,
    baseUrl: 'http://localhost:3000/some/page',
    clock,
    timeoutMs: 1000,
    urlParams: () => null,
  })
  return { http, fake, clock }
}

describe('HttpClient', () => {
  it('resolves paths against the origin root', async () => {
    const { http, fake } = client()
    const answer = http.get('/task_config.json')
    const request = await fake.next()
    expect(request.url.href).toBe('http://localhost:3000/task_config.json')
    request.respond(200, { a: 1 })
    expect(await answer).toEqual({ a: 1 })
  })

  it('classifies failures', async () => {
    const { http, fake, clock } = client()
    const network = http.get('/x')
    ;(await fake.next()).fail()
    await expect(network).rejects.toMatchObject({ code: 'NETWORK', retryable: true })

    const notJson = http.get('/x')
    ;(await fake.next()).respond(200, '<html></html>')
    await expect(notJson).rejects.toMatchObject({ code: 'BAD_RESPONSE', retryable: false })

    const tooLarge = http.post('/x', { json: {} })
    ;(await fake.next()).respond(413, '<html>Payload Too Large</html>')
    await expect(tooLarge).rejects.toMatchObject({ code: 'HTTP', status: 413, retryable: false })

    const faust = http.post('/x', { json: {} })
    ;(await fake.next()).respond(504, {
      error: { code: 'TIMEOUT', message: 'the backend did not answer' },
    })
    await expect(faust).rejects.toMatchObject({
      code: 'TIMEOUT',
      status: 504,
      retryable: true,
      message: 'the backend did not answer',
    })

    const slow = http.get('/x')
    await fake.next()
    clock.advance(1000)
    await expect(slow).rejects.toMatchObject({ code: 'TIMEOUT', status: null, retryable: true })
    expect(clock.pendingTimers).toBe(0)
  })

  it('reports an abort by the caller as ABORTED', async () => {
    const { http, fake } = client()
    const controller = new AbortController()
    const answer = http.get('/x', { signal: controller.signal })
    await fake.next()
    controller.abort()
    await expect(answer).rejects.toMatchObject({ code: 'ABORTED' })
  })
})
