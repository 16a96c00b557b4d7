import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  FIXTURE_DIR,
  freePort,
  startCli,
  startRouterCli,
  tempDir,
  workerLinks,
  type CliProcess,
  type WorkerLink,
} from '../support/cli-process.js'

// Every `faust run` flag, given as the flag and as its environment variable,
// changes what the run does (issue 12: "the CLI does what its help says").
const TOKEN = 'run-flags-secret-0123456789'

interface RunCase {
  readonly name: string
  /** The flags, and the same settings as variables, from the case's folder. */
  readonly settings: (dir: string) => Promise<RunSettings>
  readonly check: (run: StartedRun, dir: string) => Promise<void> | void
}

interface RunSettings {
  readonly flags: string[]
  readonly env: Record<string, string>
  /** Something to stop after the case (a router of its own). */
  readonly cleanup?: () => Promise<unknown>
}

interface StartedRun {
  readonly cli: CliProcess
  readonly links: WorkerLink[]
  readonly settings: RunSettings
}

const CASES: RunCase[] = [
  {
    name: '--data-dir',
    settings: (dir) => {
      const chosen = join(dir, 'chosen')
      return Promise.resolve({ flags: ['--data-dir', chosen], env: { FAUST_DATA_DIR: chosen } })
    },
    check: (_run, dir) => {
      expect(existsSync(join(dir, 'chosen', 'faust.sqlite'))).toBe(true)
      expect(existsSync(join(dir, 'base'))).toBe(false)
    },
  },
  {
    name: '--host',
    // Any 127.x address is this machine; the default is 127.0.0.1.
    settings: () =>
      Promise.resolve({ flags: ['--host', '127.0.0.2'], env: { FAUST_HOST: '127.0.0.2' } }),
    check: async ({ links }) => {
      expect(links[0]!.base).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/)
      const page = await fetch(`${links[0]!.base}/`, { signal: AbortSignal.timeout(5000) })
      expect(page.status).toBe(200)
    },
  },
  {
    name: '--port',
    settings: async () => {
      const port = await freePort()
      return { flags: ['--port', port], env: { FAUST_PORT: port } }
    },
    check: ({ links, settings }) => {
      expect(links[0]!.base).toBe(`http://127.0.0.1:${settings.env['FAUST_PORT']!}`)
    },
  },
  {
    name: '--router-url and --router-token',
    settings: async () => {
      const router = await startRouterCli(TOKEN)
      return {
        flags: ['--router-url', router.url, '--router-token', TOKEN],
        env: { FAUST_ROUTER_URL: router.url, FAUST_ROUTER_TOKEN: TOKEN },
        cleanup: () => {
          router.cli.child.kill('SIGTERM')
          return router.cli.exited()
        },
      }
    },
    // The links point at the router started apart, not at one of the run's own.
    check: ({ links, settings }) => {
      expect(links[0]!.base).toBe(settings.env['FAUST_ROUTER_URL'])
    },
  },
  {
    name: '--log-level',
    settings: () =>
      Promise.resolve({ flags: ['--log-level', 'info'], env: { FAUST_LOG_LEVEL: 'info' } }),
    // At info the router's start is logged, as a JSON line on stderr; stdout has none.
    check: ({ cli }) => {
      expect(cli.stderr()).toMatch(/"name":"faust-router".*"msg":"router listening"/)
      expect(cli.stdout()).not.toContain('"level"')
    },
  },
]

const FORMS = CASES.flatMap((runCase) => [
  { ...runCase, how: 'flags' as const },
  { ...runCase, how: 'variables' as const },
])

describe('faust run flags', () => {
  it.each(FORMS)('$name as $how', { timeout: 30_000 }, async ({ how, settings, check }) => {
    await using dir = await tempDir('faust-run-flags-')
    const given = await settings(dir.path)
    // Data folder and port come from variables so that a variable under test can replace them.
    const baseEnv = { FAUST_DATA_DIR: join(dir.path, 'base'), FAUST_PORT: '0' }
    const cli =
      how === 'flags'
        ? startCli(['run', FIXTURE_DIR, ...given.flags], baseEnv)
        : startCli(['run', FIXTURE_DIR], { ...baseEnv, ...given.env })
    try {
      const links = await workerLinks(cli)
      await check({ cli, links, settings: given }, dir.path)
    } finally {
      cli.child.kill('SIGTERM')
      await cli.exited()
      await given.cleanup?.()
    }
  })
})
