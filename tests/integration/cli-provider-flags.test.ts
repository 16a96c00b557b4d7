import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  FIXTURE_DIR,
  SEVERAL_PROCESSES,
  completeFixtureRun,
  runCli,
  startCli,
  tempDir,
  workerLinks,
} from '../support/cli-process.js'

// The provider flags of `faust run` and the arguments of `faust reconcile` and
// `faust review` that are checked before any platform is reached, through the
// built binary. What needs the platforms (the quote, the confirmation, a
// publish) is in cli-providers.test.ts.

interface Refusal {
  readonly name: string
  readonly args: readonly string[]
  readonly env?: Record<string, string>
  readonly message: RegExp
}

const REFUSALS: Refusal[] = [
  {
    name: '--sandbox with --provider prolific',
    args: ['--provider', 'prolific', '--sandbox'],
    message: /--sandbox is for --provider mturk: Prolific has no sandbox/,
  },
  {
    name: '--sandbox with FAUST_PROVIDER=prolific',
    args: ['--sandbox'],
    env: { FAUST_PROVIDER: 'prolific' },
    message: /--sandbox is for --provider mturk: Prolific has no sandbox/,
  },
  {
    name: '--sandbox with the mock provider',
    args: ['--sandbox'],
    message: /--sandbox is for --provider mturk: the mock provider/,
  },
  {
    name: 'the paid-only flags with the mock provider',
    args: ['--public-url', 'https://x.example.org', '--budget', '10', '--bonus-budget', '2'],
    message: /--public-url, --budget, --bonus-budget: only with --provider prolific or mturk/,
  },
  {
    name: 'an unknown provider',
    args: ['--provider', 'crowdflower'],
    message: /Allowed choices are mock, prolific, mturk/,
  },
  {
    name: 'an unknown FAUST_PROVIDER',
    args: [],
    env: { FAUST_PROVIDER: 'crowdflower' },
    message: /Allowed choices are mock, prolific, mturk/,
  },
  {
    name: 'a budget with a currency sign',
    args: ['--provider', 'prolific', '--budget', '£25'],
    message:
      /--budget <amount>' argument '£25' is invalid\. expected an amount such as 25 or 25\.50/,
  },
  {
    name: 'a bonus budget with three decimals',
    args: ['--provider', 'prolific', '--bonus-budget', '1.005'],
    message: /--bonus-budget <amount>' argument '1\.005' is invalid/,
  },
  {
    name: 'a negative reconcile period',
    args: ['--provider', 'prolific', '--reconcile-every', '-1'],
    message: /--reconcile-every <seconds>' argument '-1' is invalid/,
  },
  {
    name: 'an http --public-url for MTurk production',
    args: ['--provider', 'mturk', '--public-url', 'http://tasks.example.org'],
    message: /must be https for MTurk production \(got http:\/\/tasks\.example\.org\)/,
  },
  {
    name: 'MTurk production on the local (http) router',
    args: ['--provider', 'mturk'],
    message: /must be https for MTurk production, and a local router serves http/,
  },
  {
    name: 'MTurk production on an http remote router',
    args: ['--provider', 'mturk', '--router-url', 'http://127.0.0.1:9', '--router-token', 't'],
    message: /must be https for MTurk production \(got http:\/\/127\.0\.0\.1:9\)/,
  },
  {
    name: 'a --public-url that is no http(s) address',
    args: ['--provider', 'prolific', '--public-url', 'ftp://tasks.example.org'],
    message: /--public-url: expected an http:\/\/ or https:\/\/ address/,
  },
]

describe('faust run refuses provider flags that do not fit', () => {
  it.each(REFUSALS)('$name', SEVERAL_PROCESSES, async ({ args, env, message }) => {
    await using dir = await tempDir('faust-provider-flags-')
    const data = join(dir.path, 'data')
    const result = await runCli(['run', FIXTURE_DIR, '--port', '0', '--data-dir', data, ...args], {
      ...env,
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(message)
    // Refused before anything started: no router, no data folder, no links.
    expect(result.stdout).toBe('')
    expect(existsSync(data)).toBe(false)
  })

  it(
    'refuses --provider prolific without PROLIFIC_API_TOKEN before building, a router or a data folder',
    SEVERAL_PROCESSES,
    async () => {
      await using dir = await tempDir('faust-provider-token-')
      const data = join(dir.path, 'data')
      // Empty, not absent: the test runner's own environment is inherited.
      const result = await runCli(
        ['run', FIXTURE_DIR, '--port', '0', '--data-dir', data, '--provider', 'prolific', '--yes'],
        { PROLIFIC_API_TOKEN: '' },
      )
      expect(result.code).toBe(1)
      expect(result.stderr).toMatch(/faust: PROLIFIC_API_TOKEN is not set/)
      expect(result.stdout).toBe('')
      expect(existsSync(data)).toBe(false)
    },
  )

  it(
    'runs with --provider mock (and FAUST_PROVIDER=mock) as without it, --yes and --reconcile-every ignored',
    SEVERAL_PROCESSES,
    async () => {
      await using dir = await tempDir('faust-provider-mock-')
      const cli = startCli(['run', FIXTURE_DIR, '--port', '0', '--yes', '--reconcile-every', '5'], {
        FAUST_DATA_DIR: join(dir.path, 'data'),
        FAUST_PROVIDER: 'mock',
      })
      try {
        const links = await workerLinks(cli)
        expect(links).toHaveLength(2)
        expect(cli.stdout()).not.toContain('Published on')
      } finally {
        cli.child.kill('SIGTERM')
        await cli.exited()
      }
    },
  )
})

describe('faust reconcile and faust review before any platform', () => {
  let data: Awaited<ReturnType<typeof tempDir>>

  beforeAll(async () => {
    data = await tempDir('faust-provider-commands-')
    const run = await completeFixtureRun(data.path, () => ({ label: 'positive' }))
    if (run.code !== 0) throw new Error(`the fixture run failed: ${run.stderr}`)
  }, SEVERAL_PROCESSES.timeout)

  afterAll(async () => {
    await data[Symbol.asyncDispose]()
  })

  it(
    'reconcile: a task only run with the mock provider has nothing to reconcile',
    SEVERAL_PROCESSES,
    async () => {
      for (const extra of [[], ['--dry-run', '--json']]) {
        const result = await runCli(['reconcile', 'cli-fixture', '--data-dir', data.path, ...extra])
        expect(result.code).toBe(1)
        expect(result.stderr).toMatch(
          /no run of cli-fixture was published on a crowd platform .*nothing to reconcile/,
        )
      }
    },
  )

  it(
    'reconcile --run: a run of the mock provider was not published',
    SEVERAL_PROCESSES,
    async () => {
      const runs = await runCli(['runs', '--json', '--data-dir', data.path])
      const [run] = JSON.parse(runs.stdout) as { id: string }[]
      const result = await runCli([
        'reconcile',
        'cli-fixture',
        '--run',
        run!.id,
        '--data-dir',
        data.path,
      ])
      expect(result.code).toBe(1)
      expect(result.stderr).toContain(`run ${run!.id} of cli-fixture was not published`)
      const unknown = await runCli([
        'reconcile',
        'cli-fixture',
        '--run',
        'nope',
        '--data-dir',
        data.path,
      ])
      expect(unknown.stderr).toContain('no run nope of cli-fixture')
    },
  )

  it.each([
    { args: [], message: /give one of --approve <unit\|all-pending>, --reject <unit>/ },
    {
      args: ['--approve', 'all-pending', '--soft-reject', 'u1'],
      message: /one action at a time: got --approve and --soft-reject/,
    },
    { args: ['--reject', 'u1'], message: /--reject needs --reason <text>/ },
    { args: ['--bonus', 'u1', '--reason', 'x'], message: /--bonus takes a unit and an amount/ },
    { args: ['--bonus', 'u1', '1.234', '--reason', 'x'], message: /--bonus: expected an amount/ },
    {
      args: ['--approve', 'u1', '--category', 'LOW_EFFORT'],
      message: /--category goes with --reject/,
    },
  ])('review refuses $args', SEVERAL_PROCESSES, async ({ args, message }) => {
    const result = await runCli(['review', 'cli-fixture', '--data-dir', data.path, ...args])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(message)
    expect(result.stdout).toBe('')
  })
})
