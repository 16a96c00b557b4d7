// The worker socket's Origin check (issue 9, the smaller items): a page of
// another site may not open a worker socket on the router (cross-site
// WebSocket hijacking); the router's own pages, listed origins and programs
// that send no Origin may. Real router, real sockets.
import { describe, expect, it } from 'vitest'
import { startTestRouter, type TestRouter } from '@faust/testing'
import { errorBody, upgrade, type UpgradeResult } from '@faust/testing/http'

/** Opens a worker socket on `t`'s router with these headers. */
function open(t: TestRouter, headers: Record<string, string>): Promise<UpgradeResult> {
  return upgrade(t.router.socketUrl, headers)
}

const REFUSED = { opened: false, status: 403, body: errorBody('ORIGIN_NOT_ALLOWED') }

describe('worker socket Origin check', () => {
  it('refuses a page of another site with 403 ORIGIN_NOT_ALLOWED, before any socket exists', async () => {
    await using t = await startTestRouter()
    const origins = [
      'https://evil.example',
      'http://127.0.0.1', // the right host on another port is another origin
      `http://127.0.0.1.evil.example:${String(t.router.port)}`,
      'null', // sandboxed iframes and file: pages
    ]
    for (const origin of origins) {
      expect({ origin, result: await open(t, { origin }) }).toEqual({ origin, result: REFUSED })
    }
    expect(t.router.stats().sockets).toBe(0)
  })

  it("accepts the router's own pages, over http or behind a TLS proxy, and programs without Origin", async () => {
    await using t = await startTestRouter()
    const host = `127.0.0.1:${String(t.router.port)}`
    for (const headers of [{ origin: t.router.url }, { origin: `https://${host}` }, {}]) {
      expect(await open(t, headers)).toEqual({ opened: true })
    }
  })

  it('accepts listed origins; with a public origin, only that one and the listed ones', async () => {
    await using t = await startTestRouter({
      publicOrigin: 'https://tasks.example.com/ignored/path',
      allowedOrigins: ['https://Partner.example.org:8443'],
    })
    expect(await open(t, { origin: 'https://tasks.example.com' })).toEqual({ opened: true })
    expect(await open(t, { origin: 'https://partner.example.org:8443' })).toEqual({
      opened: true,
    })
    // A DNS-rebinding page: Host and Origin agree, but neither is the public origin.
    expect(await open(t, { origin: t.router.url })).toEqual(REFUSED)
    expect(await open(t, { origin: 'http://tasks.example.com' })).toEqual(REFUSED)
  })

  it('lets the backend with its secret connect whatever its Origin', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend({ headers: { origin: 'https://dashboard.example' } })
    expect((await backend.requestStatuses()).data).toEqual({})
  })

  it('keeps the loopback backend (no secret, no Origin) working', async () => {
    await using t = await startTestRouter({ backendAuth: 'loopback' })
    const backend = await t.connectBackend({ via: 'none' })
    expect((await backend.requestStatuses()).data).toEqual({})
    expect(t.router.stats().backendAttached).toBe(true)
  })
})
