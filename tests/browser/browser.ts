// Launches Debian's Chromium (never a downloaded browser) for the browser
// tests. A missing Chromium fails the tests with a clear message: they never
// skip.
import { existsSync } from 'node:fs'
import { chromium, type Browser, type BrowserContext } from 'playwright-core'

/** Chromium's path: `FAUST_CHROMIUM` if set, else Debian's. */
export const CHROMIUM_PATH = process.env['FAUST_CHROMIUM'] ?? '/usr/bin/chromium'

/** Longest wait for anything on a page (real time). */
export const PAGE_WAIT_MS = 10_000

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/**
 * A running Chromium. `chromium.launch` gives it a fresh temporary profile
 * (`--user-data-dir`), removed when the browser closes.
 */
export interface TestBrowser extends AsyncDisposable {
  readonly browser: Browser
  /** A fresh context (cookies, storage) with the page waits bounded. */
  newContext(): Promise<BrowserContext>
}

/**
 * Launches Chromium headless. Throws (failing the test) when it is missing.
 *
 * @example
 * await using chrome = await launchBrowser()
 * const page = await (await chrome.newContext()).newPage()
 */
export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM_PATH}: the browser tests need it. ` +
        'Install it with `apt-get install -y chromium` (or set FAUST_CHROMIUM to its path).',
    )
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ARGS,
    headless: true,
    timeout: 30_000,
  })
  return {
    browser,
    async newContext() {
      const context = await browser.newContext()
      context.setDefaultTimeout(PAGE_WAIT_MS)
      return context
    },
    async [Symbol.asyncDispose]() {
      await browser.close()
    },
  }
}
