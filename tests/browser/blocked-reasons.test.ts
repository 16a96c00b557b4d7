// The static-form example's blocked view in Chromium: the built page
// (examples/static-form/dist) served by a real router, with a scripted
// TestBackend refusing each registration with one of the backend's failure
// reasons; and a phone refused by the page itself (`block_mobile`). Real
// time; every wait is bounded and waits on an event.
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { FailureReason, systemClock } from '@faust/protocol'
import { mockProvider } from '@faust/backend'
import { prepareSite } from '@faust/cli'
import { startTestRouter, within, type TestBackend, type TestRouter } from '@faust/testing'
import task from '../../examples/static-form/task.js'
import { launchBrowser, PAGE_WAIT_MS, type TestBrowser } from './browser.js'

const EXAMPLE_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../examples/static-form')
const PAGE_DIR = join(EXAMPLE_DIR, 'dist')

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 ' +
  '(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1'

let chrome: TestBrowser
let root: string
/** The example's site, as the CLI prepares it. */
let siteDir: string
/** The same site with `block_mobile: true` in its task_config.json. */
let mobileSiteDir: string

beforeAll(async () => {
  if (!existsSync(join(PAGE_DIR, 'index.html'))) {
    throw new Error(`${PAGE_DIR} is not built: run \`npm run build\` first`)
  }
  root = await mkdtemp(join(tmpdir(), 'faust-blocked-'))
  siteDir = join(root, 'site')
  mobileSiteDir = join(root, 'mobile-site')
  await prepareSite({ pageDir: PAGE_DIR, siteDir, task, provider: mockProvider })
  await prepareSite({ pageDir: PAGE_DIR, siteDir: mobileSiteDir, task, provider: mockProvider })
  const configPath = join(mobileSiteDir, 'task_config.json')
  const config = JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>
  await writeFile(configPath, JSON.stringify({ ...config, block_mobile: true }))
  chrome = await launchBrowser()
}, 30_000)

afterAll(async () => {
  await chrome[Symbol.asyncDispose]()
  await rm(root, { recursive: true, force: true })
})

interface Session extends AsyncDisposable {
  readonly t: TestRouter
  readonly backend: TestBackend
  readonly page: Page
  /** The paths the page requested, in order. */
  readonly requests: string[]
}

async function openSession(options: { site: string; userAgent?: string }): Promise<Session> {
  const t = await startTestRouter({ clock: systemClock, staticDir: options.site })
  let context: BrowserContext | undefined
  try {
    const backend = await t.connectBackend()
    context =
      options.userAgent === undefined
        ? await chrome.newContext()
        : await chrome.browser.newContext({ userAgent: options.userAgent })
    context.setDefaultTimeout(PAGE_WAIT_MS)
    const page = await context.newPage()
    const requests: string[] = []
    page.on('request', (request) => requests.push(new URL(request.url()).pathname))
    const opened = context
    return {
      t,
      backend,
      page,
      requests,
      async [Symbol.asyncDispose]() {
        await opened.close()
        await t[Symbol.asyncDispose]()
      },
    }
  } catch (error) {
    await context?.close()
    await t[Symbol.asyncDispose]()
    throw error
  }
}

function pageUrl(t: TestRouter, worker: string): string {
  const query = new URLSearchParams({ worker_id: worker, assignment_id: 'a1' })
  return `${t.router.url}/?${query.toString()}`
}

async function stateIs(page: Page, state: string): Promise<void> {
  await page.waitForSelector(`main#app[data-state="${state}"]`, { timeout: PAGE_WAIT_MS })
}

const REASONS = [
  'NO_AVAILABLE_UNITS',
  'TOO_MANY_CONCURRENT',
  'MAX_FOR_TASK',
  'TASK_MISSING',
  'NOT_QUALIFIED',
] as const satisfies readonly (keyof typeof FailureReason)[]

describe(
  'static-form blocked view in Chromium (real router, scripted backend)',
  { timeout: 30_000 },
  () => {
    it.each(REASONS)('shows the backend’s %s text verbatim', async (name) => {
      await using session = await openSession({ site: siteDir })
      const { t, backend, page } = session
      const registered = within(backend.next('register_agent'), PAGE_WAIT_MS, 'register_agent')
      await page.goto(pageUrl(t, 'w1'))
      const request = await registered
      backend.answer(request, { agentId: null, failureReason: FailureReason[name] })

      await stateIs(page, 'blocked')
      expect(await page.textContent('#blocked')).toBe(FailureReason[name])
      expect(await page.$('#onboarding-form')).toBeNull()
      expect(session.requests.filter((path) => path === '/request_agent')).toHaveLength(1)
    })

    it('blocks a phone when block_mobile is set, without ever asking for an agent', async () => {
      await using session = await openSession({ site: mobileSiteDir, userAgent: IPHONE })
      const { t, backend, page, requests } = session
      expect(await page.evaluate<string>('navigator.userAgent')).toBe(IPHONE)
      await page.goto(pageUrl(t, 'w1'))

      await stateIs(page, 'blocked')
      expect(await page.textContent('#blocked')).toBe(
        'Sorry, this task cannot be completed on mobile devices. Please use a computer.',
      )
      expect(requests).toContain('/task_config.json')
      expect(requests).not.toContain('/request_agent')
      expect(backend.takeUnread('register_agent')).toEqual([])
    })
  },
)
