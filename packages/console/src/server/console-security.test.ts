// The console's refusals, each over a real socket: no session, a wrong
// token, a POST without or with a wrong CSRF token, from another Origin, to
// another Host, with a body too large or not JSON, and an unknown file id.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FakeClock } from '@faust/testing'
import { makeTempDir, removeTempDir } from '@faust/testing/store'
import { createOperatorActions } from '@faust/backend'
import { openDatabase, type Store } from '@faust/backend/store'
import { createConsoleServer, MAX_BODY_BYTES, type ConsoleServer } from './console-server.js'
import { login, rawRequest, type ConsoleSession } from './test-support/console-client.js'

let dataDir: string
let store: Store
let server: ConsoleServer
let session: ConsoleSession

beforeEach(async () => {
  dataDir = await makeTempDir()
  store = await openDatabase({ dataDir })
  server = await createConsoleServer({
    store,
    actions: createOperatorActions({ store, env: {}, actor: 'console' }),
    clock: new FakeClock(),
    port: 0,
  })
  session = await login(server)
})

afterEach(async () => {
  await server.close()
  await store.close()
  await removeTempDir(dataDir)
})

function errorOf(text: string): { code: string; message: string } {
  return (JSON.parse(text) as { error: { code: string; message: string } }).error
}

describe('the console server', () => {
  it('prints a link on 127.0.0.1 with a 32-byte base64url token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/)
  })

  it('logs in with the token: an HttpOnly SameSite=Strict cookie, then / without the token', async () => {
    const token = new URL(server.url).searchParams.get('token') ?? ''
    const answer = await rawRequest(server, { path: `/?token=${token}` })
    expect(answer.status).toBe(303)
    expect(answer.headers['location']).toBe('/')
    expect(answer.headers['set-cookie']?.[0]).toMatch(
      /^faust_console=[\w-]+; Path=\/; HttpOnly; SameSite=Strict$/,
    )
    expect(await session.getJson('/api/session')).toEqual({
      csrf: session.csrf,
      dataDir,
      live: false,
      version: '0.1.0',
    })
  })

  it('refuses the API without a session cookie, or with an unknown one', async () => {
    const none = await rawRequest(server, { path: '/api/runs' })
    expect(none.status).toBe(401)
    expect(errorOf(none.text).code).toBe('CONSOLE_AUTH_REQUIRED')
    const forged = await rawRequest(server, {
      path: '/api/runs',
      headers: { cookie: 'faust_console=forged' },
    })
    expect(forged.status).toBe(401)
    expect(errorOf(forged.text).code).toBe('CONSOLE_AUTH_REQUIRED')
  })

  it('refuses a wrong token and sets no cookie', async () => {
    const answer = await rawRequest(server, { path: '/?token=not-the-token' })
    expect(answer.status).toBe(401)
    expect(answer.headers['set-cookie']).toBeUndefined()
    expect(errorOf(answer.text).code).toBe('CONSOLE_BAD_TOKEN')
  })

  it('refuses a POST without the CSRF header, or with a wrong one', async () => {
    const missing = await rawRequest(server, {
      method: 'POST',
      path: '/api/workers/w/unblock',
      headers: {
        cookie: session.cookie,
        origin: server.origin,
        'content-type': 'application/json',
      },
      body: '{}',
    })
    expect(missing.status).toBe(403)
    expect(errorOf(missing.text).code).toBe('CONSOLE_CSRF')
    const wrong = await session.post('/api/workers/w/unblock', {}, { 'x-faust-csrf': 'nope' })
    expect(wrong.status).toBe(403)
    expect(errorOf(wrong.text).code).toBe('CONSOLE_CSRF')
    // The same request with the right token reaches the action (an unknown worker): its
    // failure is the only audit entry, so the refused requests reached nothing.
    const right = await session.post('/api/workers/w/unblock', {})
    expect(right.status).toBe(200)
    expect(JSON.parse(right.text)).toEqual({ result: 'failed', error: 'WORKER_NOT_FOUND' })
    expect(await store.audit.list()).toEqual([
      expect.objectContaining({ action: 'worker.unblock', target: 'w', outcome: 'failed' }),
    ])
  })

  it('refuses a POST from a foreign Origin, or with none', async () => {
    const foreign = await session.post('/api/workers/w/unblock', {}, { origin: 'http://evil.test' })
    expect(foreign.status).toBe(403)
    expect(errorOf(foreign.text).code).toBe('CONSOLE_ORIGIN')
    const none = await rawRequest(server, {
      method: 'POST',
      path: '/api/workers/w/unblock',
      headers: {
        cookie: session.cookie,
        'x-faust-csrf': session.csrf,
        'content-type': 'application/json',
      },
      body: '{}',
    })
    expect(none.status).toBe(403)
    expect(errorOf(none.text).code).toBe('CONSOLE_ORIGIN')
  })

  it('refuses a foreign Host (DNS rebinding) and answers localhost on loopback', async () => {
    const foreign = await rawRequest(server, {
      path: '/api/runs',
      headers: { cookie: session.cookie, host: `evil.test:${String(server.port)}` },
    })
    expect(foreign.status).toBe(403)
    expect(errorOf(foreign.text).code).toBe('CONSOLE_HOST')
    const otherPort = await rawRequest(server, {
      path: '/',
      headers: { host: `127.0.0.1:${String(server.port + 1)}` },
    })
    expect(errorOf(otherPort.text).code).toBe('CONSOLE_HOST')
    const localhost = await rawRequest(server, {
      path: '/api/runs',
      headers: { cookie: session.cookie, host: `localhost:${String(server.port)}` },
    })
    expect(localhost.status).toBe(200)
  })

  it('refuses a body above 64 KiB, and anything but JSON', async () => {
    const big = await session.post('/api/workers/w/block', { reason: 'x'.repeat(MAX_BODY_BYTES) })
    expect(big.status).toBe(413)
    expect(errorOf(big.text).code).toBe('CONSOLE_BODY_TOO_LARGE')
    const text = await rawRequest(server, {
      method: 'POST',
      path: '/api/workers/w/unblock',
      headers: {
        cookie: session.cookie,
        origin: server.origin,
        'x-faust-csrf': session.csrf,
        'content-type': 'text/plain',
      },
      body: '{}',
    })
    expect(text.status).toBe(415)
    expect(errorOf(text.text).code).toBe('CONSOLE_BAD_REQUEST')
    const shape = await session.post('/api/workers/w/qualify', { qualification: 'q', value: 1.5 })
    expect(shape.status).toBe(400)
    expect(errorOf(shape.text)).toEqual({
      code: 'CONSOLE_BAD_REQUEST',
      message: expect.stringContaining('value') as string,
    })
  })

  it('answers an unknown file id with 404 and never reads a path from the request', async () => {
    for (const id of ['nope', '..%2F..%2Fetc%2Fpasswd', '%2E%2E']) {
      const answer = await session.get(`/api/files/${id}`)
      expect(answer.status).toBe(404)
      expect(errorOf(answer.text).code).toBe('CONSOLE_NOT_FOUND')
    }
  })

  it('sends its security headers on every answer, errors included', async () => {
    for (const answer of [
      await rawRequest(server, { path: '/' }),
      await session.get('/api/nope'),
    ]) {
      expect(answer.headers['content-security-policy']).toContain("default-src 'self'")
      expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'")
      expect(answer.headers['x-content-type-options']).toBe('nosniff')
      expect(answer.headers['referrer-policy']).toBe('no-referrer')
    }
  })

  it('serves a page saying the UI is not built when dist/ui is missing', async () => {
    await server.close()
    server = await createConsoleServer({
      store,
      actions: createOperatorActions({ store, env: {}, actor: 'console' }),
      port: 0,
      uiDir: `${dataDir}/no-ui`,
    })
    const page = await rawRequest(server, { path: '/' })
    expect(page.status).toBe(200)
    expect(page.text).toContain('not built')
    expect(page.text).not.toContain('<script')
  })
})
