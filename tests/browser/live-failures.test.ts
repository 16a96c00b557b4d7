// The live hooks' failure paths in Chromium: the test page (pages/live-page.tsx,
// bundled here by esbuild) served by a real router with a scripted
// TestBackend. The router runs on a FakeClock, so a backend that stops
// polling can be made stale at once; the page's own timers (heartbeats,
// call timeouts) are driven with Playwright's page.clock. Every wait is
// bounded and waits on an event.
import { rm } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import {
  startTestRouter,
  within,
  type AnyPacket,
  type TestBackend,
  type TestRouter,
} from '@faust/testing'
import { launchBrowser, PAGE_WAIT_MS, type TestBrowser } from './browser.js'
import { buildLivePageSite } from './live-page-site.js'

/** §5.5: the text for a backend silent for more than 20 s. */
const BACKEND_GONE_TEXT =
  'Our server appears to have gone down during the duration of this Task. Please send us a ' +
  "message if you've done substantial work and we can find out if the task is complete enough " +
  'to compensate.'

let chrome: TestBrowser | undefined
let siteDir: string

beforeAll(async () => {
  siteDir = await buildLivePageSite('faust-live-failures-')
  chrome = await launchBrowser()
}, 30_000)

afterAll(async () => {
  await chrome?.[Symbol.asyncDispose]()
  await rm(siteDir, { recursive: true, force: true })
})

interface Session extends AsyncDisposable {
  readonly t: TestRouter
  readonly backend: TestBackend
  readonly page: Page
}

/**
 * A router on its FakeClock (agents' own heartbeat timeout raised so that
 * moving it on only ages the backend's poll), a scripted backend, and the
 * page in `mode` with page.clock installed, registered as `agentId`.
 */
async function openSession(mode: 'live' | 'rpc', agentId: string): Promise<Session> {
  if (chrome === undefined) throw new Error('Chromium did not start')
  const t = await startTestRouter({ staticDir: siteDir, heartbeatTimeoutMs: 120_000 })
  const context = await chrome.newContext()
  try {
    const backend = await t.connectBackend()
    const page = await context.newPage()
    await page.clock.install()
    const registered = within(backend.next('register_agent'), PAGE_WAIT_MS, 'register_agent')
    await page.goto(`${t.router.url}/?worker_id=w1&assignment_id=a1&mode=${mode}`)
    backend.answer(await registered, { agentId, initTaskData: { topic: 'chat' } })
    return {
      t,
      backend,
      page,
      async [Symbol.asyncDispose]() {
        await context.close()
        await t[Symbol.asyncDispose]()
      },
    }
  } catch (error) {
    await context.close()
    await t[Symbol.asyncDispose]()
    throw error
  }
}

async function connectionIs(page: Page, status: string): Promise<void> {
  await page.waitForSelector(`main[data-connection="${status}"]`, {
    state: 'attached',
    timeout: PAGE_WAIT_MS,
  })
}

/** The texts of the list `#id`'s items once it holds `count` of them. */
async function listOf(page: Page, id: string, count: number): Promise<string[]> {
  await page.waitForSelector(`#${id}[data-count="${count}"]`, {
    state: 'attached',
    timeout: PAGE_WAIT_MS,
  })
  return page.locator(`#${id} li`).allTextContents()
}

/** The next live update the page sends to the backend. */
function fromPage(backend: TestBackend): Promise<AnyPacket> {
  return within(backend.next('mephisto_bound_live_update'), PAGE_WAIT_MS, 'a live update')
}

describe('live hooks’ failures in Chromium (router on a FakeClock)', { timeout: 30_000 }, () => {
  it('reports the backend gone once its last poll is over 20 s old on the router’s clock', async () => {
    await using session = await openSession('live', 'agent-1')
    const { t, backend, page } = session
    await connectionIs(page, 'connected')
    expect(await listOf(page, 'statuses', 1)).toEqual(['none'])

    // A poll within 20 s keeps the backend alive through a heartbeat.
    t.clock.advance(15_000)
    await backend.requestStatuses()
    t.clock.advance(15_000)
    await page.clock.runFor(6_500)
    expect(await page.getAttribute('main', 'data-connection')).toBe('connected')

    // No poll for 21 s: the next heartbeat's echo reports a stale ping.
    t.clock.advance(6_000)
    await page.clock.runFor(6_000)
    expect(await listOf(page, 'statuses', 2)).toEqual(['none', 'mephisto disconnect'])
    await connectionIs(page, 'disconnected_server')
  })

  it('rejects further calls with the §5.5 text once the backend is gone', async () => {
    await using session = await openSession('rpc', 'agent-2')
    const { t, page } = session
    await page.waitForSelector('#rpc[data-agent="agent-2"]')

    t.clock.advance(21_000)
    await page.clock.runFor(6_500)
    await page.waitForSelector('#disconnect-issue')
    expect(await page.textContent('#disconnect-issue')).toBe(BACKEND_GONE_TEXT)

    await page.click('#call-double')
    await page.waitForSelector('#rpc-error')
    expect(await page.textContent('#rpc-error')).toBe(BACKEND_GONE_TEXT)
  })

  it('rejects a remote call the backend never answers after the call timeout (30 s)', async () => {
    await using session = await openSession('rpc', 'agent-3')
    const { t, backend, page } = session
    await page.waitForSelector('#rpc[data-agent="agent-3"]')

    const request = fromPage(backend)
    await page.click('#call-double')
    const packet = await request
    expect((packet.data as { target: string }).target).toBe('double')

    // Not yet: 29 s in (the backend polling all along).
    for (let elapsed = 0; elapsed < 29_000; elapsed += 5_800) {
      t.clock.advance(5_800)
      await backend.requestStatuses()
      await page.clock.runFor(5_800)
    }
    expect(await page.$('#rpc-error')).toBeNull()
    expect(await page.$('#result')).toBeNull()

    await page.clock.runFor(1_100)
    await page.waitForSelector('#rpc-error')
    expect(await page.textContent('#rpc-error')).toBe(
      'no answer to the remote procedure within 30000 ms',
    )
    expect(await page.$('#result')).toBeNull()
    expect(await page.$('#disconnect-issue')).toBeNull()
  })
})
