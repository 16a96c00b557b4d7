// The router's Content-Security-Policy against real pages in Chromium (issue
// 9, the smaller items): the examples' Vite builds and a page built the way a
// `mephisto-task` webpack development build is (eval-source-map modules,
// style-loader's injected <style>, inline scripts and styles, a socket and a
// fetch back to the router) must run without a single violation. A page that
// loads a script from another origin must produce one: the recorder works.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import type { TaskDefinition } from '@faust/backend'
import { mockProvider } from '@faust/backend'
import { prepareSite } from '@faust/cli'
import { systemClock } from '@faust/protocol'
import { startTestRouter, type TestRouter } from '@faust/testing'
import chatTask from '../../examples/chat/task.js'
import modelTask from '../../examples/model-in-the-loop/task.js'
import staticFormTask from '../../examples/static-form/task.js'
import { launchBrowser, PAGE_WAIT_MS, type TestBrowser } from './browser.js'

/** What a page reported: securitypolicyviolation events and CSP console errors. */
interface Violations {
  readonly events: string[]
  readonly console: string[]
}

/** Collects violations from every page of `context`, from before any script runs. */
async function recordViolations(
  context: BrowserContext,
  page: Page,
): Promise<() => Promise<Violations>> {
  // A string: the tests are typed without the DOM library.
  await context.addInitScript(`
    window.__cspViolations = []
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations.push(event.effectiveDirective + ' blocked ' + event.blockedURI)
    })
  `)
  const consoleErrors: string[] = []
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) consoleErrors.push(message.text())
  })
  return async () => ({
    events: await page.evaluate<string[]>('window.__cspViolations'),
    console: consoleErrors,
  })
}

const NONE: Violations = { events: [], console: [] }

/** A webpack development build as `mephisto-task` projects make it (no network beyond the router). */
const WEBPACK_PAGE = {
  'index.html': `<!doctype html>
<html><head><meta charset="utf-8"><title>Mephisto task</title>
<style>body { font-family: sans-serif }</style>
<script>window.inlineRan = true</script>
<script src="wrap_crowd_source.js"></script>
</head><body><div id="app" style="margin: 1em"></div>
<script src="bundle.js"></script></body></html>`,
  // eval-source-map wraps every module in eval(); style-loader injects <style>.
  'bundle.js': `(() => {
  var modules = {
    './src/app.jsx': (m) => { eval("m.exports = function render(el) { el.textContent = 'task'; el.style.color = 'green' }\\n//# sourceURL=webpack://task/./src/app.jsx") },
    './src/style.css': () => { eval("var s = document.createElement('style'); s.textContent = '#app { padding: 2px }'; document.head.appendChild(s)\\n//# sourceURL=webpack://task/./src/style.css") },
  }
  var load = (name) => { var m = { exports: {} }; modules[name](m); return m.exports }
  load('./src/style.css')
  load('./src/app.jsx')(document.getElementById('app'))
  var made = new Function('return 40 + 2')()
  var image = new Image(); image.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw='
  fetch('/is_alive').then((r) => r.json()).then((alive) => {
    var socket = new WebSocket('ws://' + location.host + '/')
    socket.onopen = () => { document.body.dataset.ready = [made, alive.status, window.inlineRan].join(' '); socket.close() }
    socket.onerror = () => { document.body.dataset.ready = 'socket failed' }
  })
})()`,
}

let chrome: TestBrowser
const folders: string[] = []

beforeAll(async () => {
  chrome = await launchBrowser()
}, 30_000)

afterAll(async () => {
  await chrome[Symbol.asyncDispose]()
  await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })))
})

/** A router (real clock) serving `siteDir` with its default headers. */
async function serve(siteDir: string): Promise<TestRouter> {
  return startTestRouter({ clock: systemClock, staticDir: siteDir })
}

async function tempFolder(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  folders.push(dir)
  return dir
}

/** Opens `url` in a fresh context; returns the page and its violation reader. */
async function open(url: string): Promise<{ page: Page; violations: () => Promise<Violations> }> {
  const context = await chrome.newContext()
  const page = await context.newPage()
  const violations = await recordViolations(context, page)
  const response = await page.goto(url, { timeout: PAGE_WAIT_MS })
  // The policy is really on: without it the test would pass vacuously.
  expect(response?.headers()['content-security-policy']).toContain("default-src 'self'")
  return { page, violations }
}

describe('the default Content-Security-Policy in Chromium', { timeout: 40_000 }, () => {
  it.each([
    ['static-form', staticFormTask],
    ['model-in-the-loop', modelTask],
    ['chat', chatTask],
  ] as [string, TaskDefinition][])(
    'lets the %s example render with no violation',
    async (name, task) => {
      const siteDir = await tempFolder(`faust-csp-${name}-`)
      const pageDir = join(import.meta.dirname, '../../examples', name, 'dist')
      await prepareSite({ pageDir, siteDir, task, provider: mockProvider })
      await using t = await serve(siteDir)
      const { page, violations } = await open(`${t.router.url}/`)
      await page.waitForSelector('main#app[data-state]', { timeout: PAGE_WAIT_MS })
      await page.evaluate('new Promise((resolve) => requestAnimationFrame(resolve))')
      expect(await violations()).toEqual(NONE)
    },
  )

  it('lets a mephisto-task webpack development page run: eval, injected styles, inline code, socket', async () => {
    const siteDir = await tempFolder('faust-csp-webpack-')
    for (const [file, content] of Object.entries(WEBPACK_PAGE))
      await writeFile(join(siteDir, file), content)
    await writeFile(join(siteDir, 'wrap_crowd_source.js'), mockProvider.wrapCrowdSourceScript)
    await using t = await serve(siteDir)
    const { page, violations } = await open(`${t.router.url}/`)
    await page.waitForSelector('body[data-ready]', { timeout: PAGE_WAIT_MS })
    expect(await page.getAttribute('body', 'data-ready')).toBe('42 Alive! true')
    expect(await page.textContent('#app')).toBe('task')
    expect(await page.evaluate("getComputedStyle(document.getElementById('app')).paddingTop")).toBe(
      '2px',
    )
    expect(await violations()).toEqual(NONE)
  })

  it('reports a script from another origin (the recorder sees what the policy blocks)', async () => {
    const siteDir = await tempFolder('faust-csp-blocked-')
    // Port 9 on loopback: blocked by the policy before any request is made.
    await writeFile(
      join(siteDir, 'index.html'),
      '<!doctype html><html><body><script src="http://127.0.0.1:9/x.js"></script></body></html>',
    )
    await using t = await serve(siteDir)
    const { page, violations } = await open(`${t.router.url}/`)
    await page.waitForFunction('window.__cspViolations.length > 0', undefined, {
      timeout: PAGE_WAIT_MS,
    })
    expect((await violations()).events).toEqual(['script-src-elem blocked http://127.0.0.1:9/x.js'])
  })
})
