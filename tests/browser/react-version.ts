// The React versions the browser tests run the task pages under. The
// workspace has React 19; React 18 lives in its own fixture project
// (tests/react18, installed by the root `prepare`), because npm cannot hold
// both in one workspace. A page is bundled for a version by pointing `react`
// and `react-dom` at that version's copies; @faust/react and @faust/client
// still come from the workspace sources.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BrowserContext, Page } from 'playwright-core'

/** A React major version the pages are tested under. */
export type ReactMajor = '19' | '18'

/** Every version, the workspace's first: what `describe.each` runs over. */
export const REACT_MAJORS: readonly ReactMajor[] = ['19', '18']

const FIXTURE_MODULES = join(dirname(fileURLToPath(import.meta.url)), '../react18/node_modules')

/**
 * Import aliases that make a bundle use `major`'s React: none for the
 * workspace's 19, the fixture's copies for 18 (each alias also covers its
 * subpaths: `react/jsx-runtime`, `react-dom/client`).
 */
export function reactAliases(major: ReactMajor): Record<string, string> {
  if (major === '19') return {}
  if (!existsSync(join(FIXTURE_MODULES, 'react-dom/package.json'))) {
    throw new Error(
      `React 18 is missing at ${FIXTURE_MODULES}: run \`npm ci --prefix tests/react18\` ` +
        '(the root `npm ci` does it through `prepare`).',
    )
  }
  return { react: join(FIXTURE_MODULES, 'react'), 'react-dom': join(FIXTURE_MODULES, 'react-dom') }
}

/** The global the init script below fills with each React renderer's version. */
const SEEN = '__faustReactRenderers'

/**
 * Makes every page of `context` record the version of each React renderer
 * that starts on it, the way React DevTools learns it: react-dom hands its
 * version to `__REACT_DEVTOOLS_GLOBAL_HOOK__.inject` when it loads (18 and 19
 * alike). Read it back with {@link reactRenderersOf}.
 */
export async function recordReactRenderers(context: BrowserContext): Promise<void> {
  await context.addInitScript((seen: string) => {
    const versions: string[] = []
    Object.assign(globalThis, {
      [seen]: versions,
      __REACT_DEVTOOLS_GLOBAL_HOOK__: {
        supportsFiber: true,
        renderers: new Map(),
        inject(internals: { version?: unknown }) {
          versions.push(String(internals.version))
          return versions.length
        },
      },
    })
  }, SEEN)
}

/** The React renderer versions that started on `page` (see {@link recordReactRenderers}). */
export async function reactRenderersOf(page: Page): Promise<string[]> {
  return page.evaluate((seen: string) => {
    const versions = (globalThis as Record<string, unknown>)[seen]
    return Array.isArray(versions) ? versions.map(String) : []
  }, SEEN)
}

/** Matches a version string of `major`: what a page's React must report. */
export function versionOf(major: ReactMajor): RegExp {
  return new RegExp(`^${major}\\.\\d+\\.\\d+`)
}

/**
 * Throws unless `page` started exactly one React renderer and it is
 * `major`'s, so that a test cannot silently run another React.
 */
export async function assertReact(page: Page, major: ReactMajor): Promise<void> {
  const renderers = await reactRenderersOf(page)
  const [only, ...others] = renderers
  if (only === undefined || others.length > 0 || !versionOf(major).test(only)) {
    throw new Error(
      `the page should run React ${major}; its renderers: ${JSON.stringify(renderers)}`,
    )
  }
}
