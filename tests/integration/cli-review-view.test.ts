// A task's own review view through the built binary: `faust run` bundles the
// task's `review` file into the data folder, the console beside it and
// `faust console` after it serve that bundle (`--task` builds it again), and a
// review file that does not build stops the run before anything is published.
import { access, cp, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  BACKEND_URL,
  FIXTURE_DIR,
  runCli,
  startCli,
  tempDir,
  workerLinks,
  SEVERAL_PROCESSES,
  type CliProcess,
} from '../support/cli-process.js'

const REVIEW_SOURCE = fileURLToPath(
  new URL('../../examples/static-form/src/review.tsx', import.meta.url),
)

/** Logs in through the printed `console: <url>` line; returns a cookie-carrying GET. */
async function consoleGet(cli: CliProcess): Promise<(path: string) => Promise<Response>> {
  const [, url = ''] = await cli.waitFor(/console: (http:\/\/\S+)\n/, 'the console line')
  const { origin } = new URL(url)
  const login = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(5000) })
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  return (path) =>
    fetch(`${origin}${path}`, { headers: { cookie }, signal: AbortSignal.timeout(5000) })
}

/** The fixture task in `dir` with `review: file`; `source`, when given, is written there as that file. */
async function taskWithReview(
  dir: string,
  review: { file: string; source?: string },
): Promise<void> {
  await cp(join(FIXTURE_DIR, 'page'), join(dir, 'page'), { recursive: true })
  await cp(join(FIXTURE_DIR, 'data.jsonl'), join(dir, 'data.jsonl'))
  await writeFile(
    join(dir, 'task.mjs'),
    `import { defineTask } from '${BACKEND_URL}'\n` +
      `export default defineTask({ name: 'cli-fixture', page: 'page', data: 'data.jsonl', review: '${review.file}' })\n`,
  )
  if (review.source !== undefined) await writeFile(join(dir, review.file), review.source)
}

describe('faust run with a review view', () => {
  it(
    'bundles it into the data folder; the console serves it during and after the run',
    SEVERAL_PROCESSES,
    async () => {
      await using task = await tempDir('faust-review-task-')
      await using data = await tempDir('faust-review-data-')
      // An absolute `review` path: the example's file, which finds react and
      // @faust/react from its own folder as a task folder's file would.
      await taskWithReview(task.path, { file: REVIEW_SOURCE })

      const run = startCli([
        'run',
        join(task.path, 'task.mjs'),
        '--port',
        '0',
        '--data-dir',
        data.path,
      ])
      await workerLinks(run)
      const get = await consoleGet(run)
      await access(join(data.path, 'review', 'cli-fixture.js'))
      const answer = (await (await get('/api/tasks/cli-fixture/review-component')).json()) as {
        component: { script: string; style: string | null }
      }
      expect(answer.component.script).toMatch(
        /^\/api\/tasks\/cli-fixture\/review\.js\?v=[0-9a-f]{16}$/,
      )
      expect(answer.component.style).toBeNull()
      const script = await get(answer.component.script)
      expect(script.status).toBe(200)
      expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
      expect(await script.text()).toMatch(/export\s*\{[^}]*\bmount\b/)
      run.child.kill('SIGINT')
      expect((await run.exited()).code).toBe(0)

      // After the run, with the bundle gone: `--task` builds it again (and says
      // so), and says which task has no review view at all.
      await rm(join(data.path, 'review'), { recursive: true })
      const served = startCli([
        'console',
        '--data-dir',
        data.path,
        '--port',
        '0',
        '--task',
        join(task.path, 'task.mjs'),
        FIXTURE_DIR,
      ])
      const later = await consoleGet(served)
      const again = (await (await later('/api/tasks/cli-fixture/review-component')).json()) as {
        component: { script: string }
      }
      expect(again.component.script).toBe(answer.component.script)
      expect((await later('/api/tasks/other-task/review-component')).status).toBe(200)
      expect(await (await later('/api/tasks/other-task/review-component')).json()).toEqual({
        component: null,
      })
      expect((await later('/api/tasks/other-task/review.js')).status).toBe(404)
      served.child.kill('SIGINT')
      const exit = await served.exited()
      expect(exit.code).toBe(0)
      expect(exit.stderr).toMatch(
        /^faust console: built the review view of cli-fixture \(\d+ KiB\)$/m,
      )
      expect(exit.stderr).toContain(
        "faust console: cli-fixture has no review view (defineTask's review); its submissions show in the generic view",
      )
    },
  )

  it(
    'stops before serving anything when the review file does not build',
    SEVERAL_PROCESSES,
    async () => {
      await using task = await tempDir('faust-review-broken-')
      await using data = await tempDir('faust-review-data-')
      await taskWithReview(task.path, {
        file: 'review.jsx',
        source: 'export default function Review() {\n  return <p>unclosed\n}\n',
      })
      const result = await runCli([
        'run',
        join(task.path, 'task.mjs'),
        '--port',
        '0',
        '--data-dir',
        data.path,
      ])
      expect(result.code).toBe(1)
      expect(result.stderr).toContain('could not build the review component')
      expect(result.stderr).toMatch(/review\.jsx:\d+: /)
      expect(result.stdout).not.toContain('Task page:')
    },
  )
})
