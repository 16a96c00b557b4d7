// The console in Chromium against the real stack: a task run by the real
// backend on a real router (`startTask`, real time), driven by bots, with the
// console's real server over the run's store and the backend's operator actions.
// No mocks: every click goes through HTTP, CSRF and the store.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { systemClock, type Clock } from '@faust/protocol'
import {
  changeRun,
  createOperatorActions,
  recordRouterEvents,
  type RunChanger,
  type TaskDefinition,
} from '@faust/backend'
import { createConsoleServer, type ConsoleServer } from '@faust/console'
import { startTask, type StartTaskOptions, type TaskHarness } from '@faust/testing/task'
import type { TestBrowser } from './browser.js'

/** The built UI the server serves by default (`npm run build` builds it). */
const UI_INDEX = fileURLToPath(
  new URL('../../packages/console/dist/ui/index.html', import.meta.url),
)

export interface ConsoleStack extends AsyncDisposable {
  readonly h: TaskHarness<Clock>
  readonly server: ConsoleServer
  /** A fresh browser context logged in through the printed link, at `hash` (e.g. `#/audit`). */
  open(hash?: string): Promise<Page>
  /**
   * Whether the router reports connects, disconnects and heartbeats into the
   * agents' timelines (`router.observe`, the "metrics" part of issue 14).
   */
  /** What went wrong on `page` so far: CSP violations, uncaught errors, console errors. */
  problems(page: Page): Promise<string[]>
}

// A string: the tests are typed without the DOM library.
const RECORD_VIOLATIONS = `
  window.__cspViolations = []
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__cspViolations.push(event.effectiveDirective + ' blocked ' + event.blockedURI)
  })
`

export interface ConsoleStackOptions {
  readonly harness?: Omit<StartTaskOptions<Clock>, 'clock'>
  /**
   * Applies run changes; by default `changeRun` on the run's store, as
   * `faust console` does for a run it does not serve itself.
   */
  readonly changeRun?: RunChanger
  /** The tasks' built review views (`<data folder>/review`, as `faust run` writes them). */
  readonly reviewDir?: string
}

/** Starts `task` with bots' harness and a console over its store, on 127.0.0.1 port 0. */
export async function startConsoleStack<TData>(
  chrome: TestBrowser,
  task: TaskDefinition<TData>,
  options: ConsoleStackOptions = {},
): Promise<ConsoleStack> {
  if (!existsSync(UI_INDEX)) {
    throw new Error(`${UI_INDEX} is not built: run \`npm run build\` first`)
  }
  const h = await startTask(task, {
    statusPollMs: 200,
    ...options.harness,
    clock: systemClock,
  })
  const events = observeRouter(h)
  let server: ConsoleServer
  try {
    server = await createConsoleServer({
      store: h.store,
      actions: createOperatorActions({
        store: h.store,
        // The mock provider's workers: no platform credentials to read.
        env: {},
        actor: 'console',
        changeRun: options.changeRun ?? ((input) => changeRun({ store: h.store, ...input })),
      }),
      port: 0,
      pollMs: 200,
      live: { isLive: (runId) => runId === h.run.runId },
      reviewDir: options.reviewDir,
    })
  } catch (error) {
    await events.close()
    await h[Symbol.asyncDispose]()
    throw error
  }
  const pages: Page[] = []
  const errors = new Map<Page, string[]>()
  return {
    h,
    server,
    async open(hash = '') {
      const context = await chrome.newContext()
      await context.addInitScript(RECORD_VIOLATIONS)
      const page = await context.newPage()
      pages.push(page)
      const seen: string[] = []
      errors.set(page, seen)
      page.on('pageerror', (error) => seen.push(`page error: ${error.message}`))
      page.on('console', (message) => {
        if (message.type() === 'error') seen.push(`console error: ${message.text()}`)
      })
      page.on('response', (response) => {
        if (response.status() >= 400) seen.push(`HTTP ${response.status()} ${response.url()}`)
      })
      await page.setViewportSize({ width: 1280, height: 800 })
      await page.goto(server.url)
      await page.waitForURL(`${server.origin}/`)
      if (hash !== '') await page.goto(`${server.origin}/${hash}`)
      await page.getByRole('status').filter({ hasText: 'Live updates on' }).waitFor()
      return page
    },
    async problems(page) {
      const csp = await page.evaluate<string[]>('window.__cspViolations')
      return [...csp.map((v) => `CSP: ${v}`), ...(errors.get(page) ?? [])]
    },
    async [Symbol.asyncDispose]() {
      for (const page of pages) await page.context().close()
      await server.close()
      await events.close()
      await h[Symbol.asyncDispose]()
    },
  }
}

/** Records the router's agent events for the run, as `faust run` does. */
function observeRouter(h: TaskHarness<Clock>): { close(): Promise<void> } {
  const recorder = recordRouterEvents(h.store, h.run.runId, { flushMs: 200 })
  const stop = h.router.router.observe(recorder)
  return {
    async close() {
      stop()
      await recorder.close()
    },
  }
}
