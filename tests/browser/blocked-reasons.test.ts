// The static-form example's blocked view in Chromium: the built page
// (examples/static-form/dist for React 19, built again for React 18) served by a real router, with a scripted
// TestBackend refusing each registration with one of the backend's failure
// reasons; and a phone refused by the page itself (`block_mobile`). Real
// time; every wait is bounded and waits on an event.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { FailureReason, systemClock } from '@faust/protocol'
import { mockProvider } from '@faust/backend'
import { prepareSite } from '@faust/cli'
import { startTestRouter, within, type TestBackend, type TestRouter } from '@faust/testing'
import task from '../../examples/static-form/task.js'
import { launchBrowser, PAGE_WAIT_MS, type TestBrowser } from './browser.js'
import {
  assertReact,
  REACT_MAJORS,
  recordReactRenderers,
  type ReactMajor,
} from './react-version.js'
import { staticFormPage } from './static-form-page.js'

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 ' +
  '(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1'

let chrome: TestBrowser

beforeAll(async () => {
  chrome = await launchBrowser()
}, 30_000)

afterAll(async () => {
  await chrome[Symbol.asyncDispose]()
})

/** The example's two sites for one React, in a temporary folder. */
interface Sites extends AsyncDisposable {
  /** The example's site, as the CLI prepares it. */
  readonly site: string
  /** The same site with `block_mobile: true` in its task_config.json. */
  readonly mobileSite: string
}

async function prepareSites(react: ReactMajor): Promise<Sites> {
  await using page = await staticFormPage(react)
  const root = await mkdtemp(join(tmpdir(), `faust-blocked-${react}-`))
  const site = join(root, 'site')
  const mobileSite = join(root, 'mobile-site')
  try {
    await prepareSite({ pageDir: page.dir, siteDir: site, task, provider: mockProvider })
    await prepareSite({ pageDir: page.dir, siteDir: mobileSite, task, provider: mockProvider })
    const configPath = join(mobileSite, 'task_config.json')
    const config = JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>
    await writeFile(configPath, JSON.stringify({ ...config, block_mobile: true }))
  } catch (error) {
    await rm(root, { recursive: true, force: true })
    throw error
  }
  return {
    site,
    mobileSite,
    async [Symbol.asyncDispose]() {
      await rm(root, { recursive: true, force: true })
    },
  }
}

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
    await recordReactRenderers(context)
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

describe.each(REACT_MAJORS)(
  'static-form blocked view in Chromium under React %s (real router, scripted backend)',
  { timeout: 30_000 },
  (react) => {
    let sites: Sites | undefined
    const siteOf = (which: 'site' | 'mobileSite'): string => {
      if (sites === undefined) throw new Error(`the sites for React ${react} were not prepared`)
      return sites[which]
    }

    beforeAll(async () => {
      sites = await prepareSites(react)
    }, 30_000)

    afterAll(async () => {
      await sites?.[Symbol.asyncDispose]()
    })

    it.each(REASONS)('shows the backend’s %s text verbatim', async (name) => {
      await using session = await openSession({ site: siteOf('site') })
      const { t, backend, page } = session
      const registered = within(backend.next('register_agent'), PAGE_WAIT_MS, 'register_agent')
      await page.goto(pageUrl(t, 'w1'))
      const request = await registered
      backend.answer(request, { agentId: null, failureReason: FailureReason[name] })

      await stateIs(page, 'blocked')
      expect(await page.textContent('#blocked')).toBe(FailureReason[name])
      expect(await page.$('#onboarding-form')).toBeNull()
      expect(session.requests.filter((path) => path === '/request_agent')).toHaveLength(1)
      await assertReact(page, react)
    })

    it('blocks a phone when block_mobile is set, without ever asking for an agent', async () => {
      await using session = await openSession({ site: siteOf('mobileSite'), userAgent: IPHONE })
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
      await assertReact(page, react)
    })
  },
)
