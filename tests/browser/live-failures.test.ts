// The live hooks' failure paths in Chromium: the test page (pages/live-page.tsx,
// bundled here by esbuild, once under each React major) served by a real router with a scripted
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
import {
  assertReact,
  REACT_MAJORS,
  recordReactRenderers,
  type ReactMajor,
} from './react-version.js'

/** docs/protocol.md §5.5: the text for a backend silent for more than 20 s. */
const BACKEND_GONE_TEXT =
  'Our server appears to have gone down during the duration of this Task. Please send us a ' +
  "message if you've done substantial work and we can find out if the task is complete enough " +
  'to compensate.'

let chrome: TestBrowser | undefined

beforeAll(async () => {
  chrome = await launchBrowser()
}, 30_000)

afterAll(async () => {
  await chrome?.[Symbol.asyncDispose]()
})

interface Session extends AsyncDisposable {
  readonly t: TestRouter
  readonly backend: TestBackend
  readonly page: Page
}

/** The live page, built for one React major. */
interface Site {
  readonly react: ReactMajor
  readonly dir: string
}

/**
 * A router on its FakeClock (agents' own heartbeat timeout raised so that
 * moving it on only ages the backend's poll), a scripted backend, and the
 * site's page in `mode` with page.clock installed, registered as `agentId`.
 */
async function openSession(site: Site, mode: 'live' | 'rpc', agentId: string): Promise<Session> {
  if (chrome === undefined) throw new Error('Chromium did not start')
  const t = await startTestRouter({ staticDir: site.dir, heartbeatTimeoutMs: 120_000 })
  const context = await chrome.newContext()
  try {
    await recordReactRenderers(context)
    const backend = await t.connectBackend()
    const page = await context.newPage()
    await page.clock.install()
    const registered = within(backend.next('register_agent'), PAGE_WAIT_MS, 'register_agent')
    await page.goto(`${t.router.url}/?worker_id=w1&assignment_id=a1&mode=${mode}`)
    backend.answer(await registered, { agentId, initTaskData: { topic: 'chat' } })
    await assertReact(page, site.react)
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

describe.each(REACT_MAJORS)(
  'live hooks’ failures in Chromium under React %s (router on a FakeClock)',
  { timeout: 30_000 },
  (react) => {
    const site = { react, dir: '' }

    beforeAll(async () => {
      site.dir = await buildLivePageSite(`faust-live-failures-${react}-`, react)
    }, 30_000)

    afterAll(async () => {
      if (site.dir !== '') await rm(site.dir, { recursive: true, force: true })
    })

    it('reports the backend gone once its last poll is over 20 s old on the router’s clock', async () => {
      await using session = await openSession(site, 'live', 'agent-1')
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

    it('rejects further calls with the text of docs/protocol.md §5.5 once the backend is gone', async () => {
      await using session = await openSession(site, 'rpc', 'agent-2')
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
      await using session = await openSession(site, 'rpc', 'agent-3')
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
  },
)
