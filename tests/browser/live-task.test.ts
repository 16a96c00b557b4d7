// The live hooks in Chromium: a tiny React page (pages/live-page.tsx, bundled
// here by esbuild, once under each React major) served by a real router, with
// a scripted TestBackend on the other side. Real time; every wait is bounded
// and waits on an event.
import { rm } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page, WebSocketRoute } from 'playwright-core'
import { systemClock } from '@faust/protocol'
import { startTestRouter, type AnyPacket, type TestBackend, type TestRouter } from '@faust/testing'
import { launchBrowser, PAGE_WAIT_MS, type TestBrowser } from './browser.js'
import { buildLivePageSite } from './live-page-site.js'
import {
  assertReact,
  REACT_MAJORS,
  recordReactRenderers,
  versionOf,
  type ReactMajor,
} from './react-version.js'

let chrome: TestBrowser

beforeAll(async () => {
  chrome = await launchBrowser()
}, 30_000)

afterAll(async () => {
  await chrome[Symbol.asyncDispose]()
})

interface Session extends AsyncDisposable {
  readonly t: TestRouter
  readonly backend: TestBackend
  readonly page: Page
  /** The page's sockets as they opened, routed through Playwright so a test can cut them. */
  readonly sockets: { page: WebSocketRoute; server: WebSocketRoute }[]
}

/** The live page, built for one React major. */
interface Site {
  readonly react: ReactMajor
  readonly dir: string
}

type Mode = 'live' | 'rpc' | 'provider'

async function openSession(site: Site, mode: Mode, agentId: string): Promise<Session> {
  const t = await startTestRouter({ clock: systemClock, staticDir: site.dir })
  const backend = await t.connectBackend()
  const context = await chrome.newContext()
  await recordReactRenderers(context)
  const page = await context.newPage()
  const sockets: Session['sockets'] = []
  await page.routeWebSocket(/.*/, (socket) => {
    sockets.push({ page: socket, server: socket.connectToServer() })
  })
  await page.goto(`${t.router.url}/?worker_id=w1&assignment_id=a1&mode=${mode}`)
  await backend.registerNext(agentId, { topic: 'chat' })
  const session: Session = {
    t,
    backend,
    page,
    sockets,
    async [Symbol.asyncDispose]() {
      await context.close()
      await t[Symbol.asyncDispose]()
    },
  }
  try {
    // The page runs the React it was built for, and only that one.
    const main = await page.waitForSelector('main[data-react]', { timeout: PAGE_WAIT_MS })
    expect(await main.getAttribute('data-react')).toMatch(versionOf(site.react))
    await assertReact(page, site.react)
  } catch (error) {
    await session[Symbol.asyncDispose]()
    throw error
  }
  return session
}

/** The texts of the list `#id`'s items once it holds `count` of them. */
async function listOf(page: Page, id: string, count: number): Promise<string[]> {
  const items = page.locator(`#${id} li`)
  try {
    await page.waitForSelector(`#${id}[data-count="${count}"]`, {
      state: 'attached',
      timeout: PAGE_WAIT_MS,
    })
  } catch (error) {
    const seen = JSON.stringify(await items.allTextContents())
    throw new Error(`#${id} never held ${count} items (it holds ${seen})`, { cause: error })
  }
  return items.allTextContents()
}

async function connectionIs(page: Page, status: string): Promise<void> {
  await page.waitForSelector(`main[data-connection="${status}"]`, {
    state: 'attached',
    timeout: PAGE_WAIT_MS,
  })
}

/** The next live update the page sends to the backend. */
function fromPage(backend: TestBackend): Promise<AnyPacket> {
  return backend.next('mephisto_bound_live_update')
}

describe.each(REACT_MAJORS)(
  'live hooks in Chromium under React %s (real router, scripted backend)',
  { timeout: 40_000 },
  (react) => {
    const site = { react, dir: '' }

    beforeAll(async () => {
      site.dir = await buildLivePageSite(`faust-live-page-${react}-`, react)
    }, 30_000)

    afterAll(async () => {
      if (site.dir !== '') await rm(site.dir, { recursive: true, force: true })
    })

    it('shows each status once and in order, passes live updates both ways, and survives a cut socket', async () => {
      await using session = await openSession(site, 'live', 'agent-1')
      const { backend, page, sockets } = session
      await connectionIs(page, 'connected')
      expect(await page.getAttribute('#live', 'data-agent')).toBe('agent-1')

      // The router answers the page's `alive` with the current status: none yet.
      expect(await listOf(page, 'statuses', 1)).toEqual(['none'])
      backend.pushStatus('agent-1', 'waiting')
      backend.pushStatus('agent-1', 'in task')
      expect(await listOf(page, 'statuses', 3)).toEqual(['none', 'waiting', 'in task'])

      // Backend → page, a repeated update id shown once.
      backend.sendLiveUpdate('agent-1', { text: 'hello worker', update_id: 'u-1' })
      backend.sendLiveUpdate('agent-1', { text: 'hello worker', update_id: 'u-1' })
      backend.sendLiveUpdate('agent-1', { text: 'second', update_id: 'u-2' })
      expect(await listOf(page, 'updates', 2)).toEqual(['hello worker', 'second'])

      // Page → backend, echoed back.
      let sent = fromPage(backend)
      await page.fill('#message', 'from the page')
      await page.click('#send')
      let packet = await sent
      expect(packet.subject_id).toBe('agent-1')
      expect(packet.data).toMatchObject({ text: 'from the page' })
      backend.sendLiveUpdate('agent-1', { text: 'echo: from the page', update_id: 'u-3' })
      expect(await listOf(page, 'updates', 3)).toEqual([
        'hello worker',
        'second',
        'echo: from the page',
      ])

      // Cut the page's socket: the client reconnects by itself; the router's
      // repeat of the current status is not shown again. (StrictMode's mount,
      // unmount, mount comes first in the list; only the change after is checked.)
      const before = await page.locator('#connections li').allTextContents()
      expect(before.at(-1)).toBe('connected')
      expect(sockets).toHaveLength(1)
      await sockets[0]!.server.close({ code: 1012, reason: 'cut by the test' })
      await sockets[0]!.page.close({ code: 1012, reason: 'cut by the test' })
      const after = await listOf(page, 'connections', before.length + 2)
      expect(after.slice(before.length)).toEqual(['disconnected', 'connected'])
      await connectionIs(page, 'connected')
      expect(sockets).toHaveLength(2)

      sent = fromPage(backend)
      await page.fill('#message', 'after the cut')
      await page.click('#send')
      packet = await sent
      expect(packet.data).toMatchObject({ text: 'after the cut' })
      backend.pushStatus('agent-1', 'completed')
      expect(await listOf(page, 'statuses', 4)).toEqual(['none', 'waiting', 'in task', 'completed'])
    })

    it('calls remote procedures: a result, and an error answer', async () => {
      await using session = await openSession(site, 'rpc', 'agent-2')
      const { backend, page } = session
      await page.waitForSelector('#rpc[data-agent="agent-2"]')

      let request = fromPage(backend)
      await page.click('#call-double')
      let packet = await request
      let data = packet.data as { request_id: string; target: string; args: string }
      expect(data.target).toBe('double')
      expect(JSON.parse(data.args)).toEqual({ n: 21 })
      backend.sendLiveUpdate('agent-2', {
        handles: data.request_id,
        response: JSON.stringify({ doubled: 42 }),
      })
      await page.waitForSelector('#result')
      expect(await page.textContent('#result')).toBe('{"doubled":42}')

      request = fromPage(backend)
      await page.click('#call-fail')
      packet = await request
      data = packet.data as { request_id: string; target: string; args: string }
      expect(data.target).toBe('fail')
      backend.sendLiveUpdate('agent-2', {
        handles: data.request_id,
        error: { message: 'no such luck' },
      })
      await page.waitForSelector('#rpc-error')
      expect(await page.textContent('#rpc-error')).toBe('no such luck')
    })

    it('shares one client under a FaustProvider: the live page and useFaustClient see the same agent', async () => {
      await using session = await openSession(site, 'provider', 'agent-3')
      const { backend, page, sockets } = session
      await connectionIs(page, 'connected')
      expect(await listOf(page, 'statuses', 1)).toEqual(['none'])
      backend.pushStatus('agent-3', 'in task')
      expect(await listOf(page, 'statuses', 2)).toEqual(['none', 'in task'])
      await page.waitForSelector('#shared[data-agent="agent-3"][data-status="in task"]', {
        state: 'attached',
      })
      backend.sendLiveUpdate('agent-3', { text: 'to both', update_id: 'u-1' })
      expect(await listOf(page, 'updates', 1)).toEqual(['to both'])
      // One client, so one socket, StrictMode's remount included.
      expect(sockets).toHaveLength(1)
    })
  },
)
