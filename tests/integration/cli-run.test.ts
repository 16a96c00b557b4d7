import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AgentStatus } from '@faust/protocol'
import { openDatabase, UnitStatus } from '@faust/backend/store'
import {
  BACKEND_URL,
  FIXTURE_DIR,
  register,
  runCli,
  startCli,
  startRouterCli,
  submit,
  tempDir,
  workerLinks,
  SEVERAL_PROCESSES,
} from '../support/cli-process.js'

const TOKEN = 'cli-run-test-secret-0123456789'

describe('faust run', () => {
  it('prints one link per unit, serves the page, and exits 0 once every unit is submitted', async () => {
    await using data = await tempDir('faust-cli-run-')
    const cli = startCli(['run', FIXTURE_DIR, '--port', '0', '--data-dir', data.path])
    const links = await workerLinks(cli)
    expect(links.map((link) => link.workerId)).toEqual(['worker-1', 'worker-2'])
    expect(new Set(links.map((link) => link.assignmentId)).size).toBe(2)
    const base = links[0]!.base
    expect(cli.stdout()).toContain(`Task page: ${base}/`)

    // The site: the fixture page, the mock provider's script, and the task's config.
    const page = await fetch(`${base}/`, { signal: AbortSignal.timeout(5000) })
    expect(await page.text()).toContain('A page for the CLI tests')
    const script = await fetch(`${base}/wrap_crowd_source.js`, {
      signal: AbortSignal.timeout(5000),
    })
    expect(await script.text()).toContain('getAgentRegistration')
    const config = await fetch(`${base}/task_config.json?mephisto_task_version=2.0.4`, {
      signal: AbortSignal.timeout(5000),
    })
    expect(await config.json()).toEqual({
      task_title: 'cli-fixture',
      task_description: 'Say whether each text is positive.',
      mephisto_task_version: '2.0.4',
    })

    const first = await register(links[0]!)
    expect(first.init_task_data).toEqual({ text: 'I like it' })
    expect(await submit(base, first.agent_id!, { label: 'positive' })).toEqual({
      status: 'Submitted!',
    })
    const second = await register(links[1]!)
    await submit(base, second.agent_id!, { label: 'negative' })

    const result = await cli.exited()
    expect(result.code).toBe(0)
    // Logs stay at warn: nothing went wrong, so no error was logged.
    expect(result.stderr).not.toMatch(/"level":(50|60)/)
    // Not a terminal: one plain line per change, the last with both units completed.
    expect(result.stdout).toMatch(
      /\d\d:\d\d:\d\d units 2 · waiting 0 · offered 0 · in progress 0 · completed 2 · expired 0 · workers 0\n/,
    )
    expect(result.stdout).toContain(
      'cli-fixture: run finished: 2 of 2 units completed, 0 expired, 2 submissions',
    )
    expect(result.stdout).toContain(
      `Results: npx faust results cli-fixture --data-dir ${data.path}`,
    )

    await using store = await openDatabase({ dataDir: data.path })
    const stored = await store.results.exportSubmissions({ taskName: 'cli-fixture' })
    expect(stored.map((submission) => submission.data)).toEqual([
      { label: 'positive' },
      { label: 'negative' },
    ])
    // The local site was a temporary copy.
    expect(await readdir(join(data.path, 'sites'))).toEqual([])
  })

  it('loads a TypeScript task file through tsx', async () => {
    await using data = await tempDir('faust-cli-run-ts-')
    const cli = startCli([
      'run',
      join(FIXTURE_DIR, 'typed-task.ts'),
      '--port',
      '0',
      '--data-dir',
      data.path,
    ])
    const [link] = await workerLinks(cli)
    const details = await register(link!)
    expect(details.init_task_data).toEqual({ text: 'typed' })
    await submit(link!.base, details.agent_id!, { ok: true })
    const result = await cli.exited()
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('cli-fixture-ts: run finished: 1 of 1 unit completed')
  })

  it(
    'pauses on SIGINT (issue 11): the unit in progress keeps its worker, and the next start resumes the run',
    SEVERAL_PROCESSES,
    async () => {
      await using data = await tempDir('faust-cli-run-stop-')
      const cli = startCli(['run', FIXTURE_DIR, '--port', '0', '--data-dir', data.path])
      const links = await workerLinks(cli)
      const held = await register(links[0]!)
      expect(held.agent_id).not.toBeNull()
      await cli.waitFor(/in progress 1/, 'the unit to be in progress')
      cli.child.kill('SIGINT')
      const result = await cli.exited()
      expect(result.code).toBe(0)
      expect(result.stderr).toContain('faust run: SIGINT: pausing')
      expect(result.stdout).toContain(
        'cli-fixture: run paused (SIGINT; faust run resumes it): 0 of 2 units completed, 0 expired, 2 unfinished, 0 submissions',
      )

      let runId: string
      {
        await using store = await openDatabase({ dataDir: data.path })
        const agent = await store.agents.get(held.agent_id!)
        expect(agent?.status).toBe(AgentStatus.IN_TASK)
        const unit = await store.units.get(agent!.unitId)
        expect(unit?.status).toBe(UnitStatus.ASSIGNED)
        runId = agent!.taskRunId
        expect((await store.taskRuns.get(runId))?.endedAt).toBeNull()
      }

      const again = startCli(['run', FIXTURE_DIR, '--port', '0', '--data-dir', data.path])
      await workerLinks(again)
      expect(again.stdout()).toContain(`resuming run ${runId}: 0 of 2 units done`)
      again.child.kill('SIGTERM')
      expect((await again.exited()).code).toBe(0)
    },
  )

  it(
    'uses a router already running when given --router-url and --router-token',
    SEVERAL_PROCESSES,
    async () => {
      await using data = await tempDir('faust-cli-run-remote-')
      const { cli: router, url } = await startRouterCli(TOKEN)
      try {
        const cli = startCli(['run', FIXTURE_DIR, '--data-dir', data.path, '--router-url', url], {
          FAUST_ROUTER_TOKEN: TOKEN,
        })
        const links = await workerLinks(cli)
        expect(links.every((link) => link.base === url)).toBe(true)
        expect(cli.stdout()).toContain(
          `Site for that router: ${join(data.path, 'sites', 'cli-fixture')}`,
        )
        for (const link of links) {
          const details = await register(link)
          await submit(link.base, details.agent_id!, { label: link.workerId })
        }
        expect((await cli.exited()).code).toBe(0)
        // The site for that router stays, ready to be served with --static.
        expect((await readdir(join(data.path, 'sites', 'cli-fixture'))).sort()).toEqual([
          'faust-client.js',
          'index.html',
          'task_config.json',
          'wrap_crowd_source.js',
        ])
      } finally {
        router.child.kill('SIGTERM')
        await router.exited()
      }
    },
  )

  describe('refuses bad input with a clear message and exit code 1', () => {
    it('a task path that does not exist', async () => {
      const result = await runCli(['run', 'no/such/task.ts'])
      expect(result.code).toBe(1)
      expect(result.stderr).toBe('faust: no task at no/such/task.ts: no such file or folder\n')
    })

    it('a folder without a task file', async () => {
      await using dir = await tempDir('faust-cli-empty-')
      const result = await runCli(['run', dir.path])
      expect(result.code).toBe(1)
      expect(result.stderr).toContain('expected one of task.ts, task.mts, task.js, task.mjs')
    })

    it('a module without a task export', async () => {
      await using dir = await tempDir('faust-cli-notask-')
      await writeFile(join(dir.path, 'task.mjs'), 'export const answer = 42\n')
      const result = await runCli(['run', dir.path])
      expect(result.code).toBe(1)
      expect(result.stderr).toMatch(
        /task\.mjs does not export a task: add `export default defineTask/,
      )
    })

    it('a module that throws while loading', async () => {
      await using dir = await tempDir('faust-cli-throws-')
      await writeFile(
        join(dir.path, 'task.mjs'),
        `import { defineTask } from '${BACKEND_URL}'\nexport default defineTask({ name: 'x', page: 'p', data: [] })\n`,
      )
      const result = await runCli(['run', dir.path])
      expect(result.code).toBe(1)
      expect(result.stderr).toMatch(
        /could not load .*task\.mjs: defineTask: data: the task has no data/,
      )
    })

    it('a page folder without index.html', async () => {
      await using dir = await tempDir('faust-cli-nopage-')
      await writeFile(join(dir.path, 'task.mjs'), taskModule())
      const result = await runCli(['run', dir.path, '--data-dir', join(dir.path, 'data')])
      expect(result.code).toBe(1)
      expect(result.stderr).toMatch(/index\.html not found: the task's page must be built first/)
    })

    it('a page whose build fails, naming the command to run', SEVERAL_PROCESSES, async () => {
      await using dir = await tempDir('faust-cli-badbuild-')
      await writeFile(join(dir.path, 'task.mjs'), taskModule())
      await writeFile(
        join(dir.path, 'package.json'),
        JSON.stringify({ name: 'broken-page', scripts: { build: 'node -e "process.exit(3)"' } }),
      )
      const result = await runCli(['run', dir.path, '--data-dir', join(dir.path, 'data')])
      expect(result.code).toBe(1)
      expect(result.stderr).toContain('building the page: npm run build')
      expect(result.stderr).toContain('build the page first: npm run build -w broken-page')
    })

    it('--router-url without --router-token', async () => {
      const result = await runCli(['run', FIXTURE_DIR, '--router-url', 'http://127.0.0.1:1'])
      expect(result.code).toBe(1)
      expect(result.stderr).toContain('--router-url needs --router-token')
    })
  })

  it(
    'builds a missing page once with npm run build when the task folder has a build script',
    SEVERAL_PROCESSES,
    async () => {
      await using dir = await tempDir('faust-cli-build-')
      await writeFile(join(dir.path, 'task.mjs'), taskModule())
      const build = `require('fs').mkdirSync('page');require('fs').writeFileSync('page/index.html','<p>built</p>')`
      await writeFile(
        join(dir.path, 'package.json'),
        JSON.stringify({ name: 'page-to-build', scripts: { build: `node -e "${build}"` } }),
      )
      await mkdir(join(dir.path, 'data'))
      const cli = startCli(['run', dir.path, '--port', '0', '--data-dir', join(dir.path, 'data')])
      const [link] = await workerLinks(cli)
      expect(cli.stderr()).toContain('is missing; building the page: npm run build')
      const page = await fetch(`${link!.base}/`, { signal: AbortSignal.timeout(5000) })
      expect(await page.text()).toBe('<p>built</p>')
      cli.child.kill('SIGTERM')
      expect((await cli.exited()).code).toBe(0)
    },
  )
})

/** A one-item task whose page folder is `page/`, importing the built backend by URL. */
function taskModule(): string {
  return [
    `import { defineTask } from '${BACKEND_URL}'`,
    `export default defineTask({ name: 'temp-task', page: 'page', data: [{ n: 1 }] })`,
    '',
  ].join('\n')
}
