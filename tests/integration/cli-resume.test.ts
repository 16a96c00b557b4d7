// `faust run` after the process was killed (SIGKILL: nothing of the run's own
// shutdown runs) continues the same run; `--new-run` starts a new one;
// `faust runs` lists them. The built CLI in child processes, as a user runs it.
import { cp, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '@faust/backend/store'
import {
  BACKEND_URL,
  FIXTURE_DIR,
  SEVERAL_PROCESSES,
  register,
  runCli,
  startCli,
  submit,
  tempDir,
  workerLinks,
  type CliProcess,
} from '../support/cli-process.js'

interface ListedRun {
  readonly id: string
  readonly task: string
  readonly startedAt: string
  readonly endedAt: string | null
  readonly units: Record<string, number>
}

async function listRuns(dataDir: string): Promise<ListedRun[]> {
  const result = await runCli(['runs', '--json', '--data-dir', dataDir])
  // The whole result, so that a failure shows stderr.
  expect(result).toMatchObject({ code: 0 })
  return JSON.parse(result.stdout) as ListedRun[]
}

/** SIGKILL, and the exit it causes. */
async function kill9(cli: CliProcess): Promise<void> {
  cli.child.kill('SIGKILL')
  const result = await cli.exited()
  expect(result.code).toBeNull()
}

/** A first run of the fixture: worker-1 completes its unit, worker-2 holds the other; then kill -9. */
async function killedMidRun(
  dataDir: string,
  taskDir = FIXTURE_DIR,
): Promise<{ runId: string; heldAgentId: string }> {
  const cli = startCli(['run', taskDir, '--port', '0', '--data-dir', dataDir])
  const links = await workerLinks(cli)
  const [, runId] = /: run (\w+), 2 units/.exec(cli.stdout()) ?? []
  const first = await register(links[0]!)
  await submit(links[0]!.base, first.agent_id!, { label: 'positive' })
  const held = await register(links[1]!)
  expect(held.agent_id).not.toBeNull()
  // The progress line is written once both are stored.
  await cli.waitFor(/in progress 1 · completed 1/, 'one unit completed and one held')
  await kill9(cli)
  return { runId: runId!, heldAgentId: held.agent_id! }
}

describe('faust run after a kill -9', () => {
  it(
    'continues the same run: the held unit is kept for its worker, the done item is not offered again',
    SEVERAL_PROCESSES,
    async () => {
      await using data = await tempDir('faust-cli-resume-')
      const { runId } = await killedMidRun(data.path)
      expect(await listRuns(data.path)).toEqual([
        expect.objectContaining({
          id: runId,
          task: 'cli-fixture',
          endedAt: null,
          units: { total: 2, completed: 1, assigned: 1 },
        }),
      ])

      const again = startCli(['run', FIXTURE_DIR, '--port', '0', '--data-dir', data.path])
      const links = await workerLinks(again)
      expect(again.stdout()).toContain(
        `resuming run ${runId}: 1 of 2 units done (1 worker kept its unit, 0 reservations released;`,
      )
      expect(again.stdout()).toContain(`cli-fixture: run ${runId}, 2 units`)
      // A stranger gets nothing: one unit is done, the other still held.
      const stranger = await register({ ...links[0]!, workerId: 'worker-9' })
      expect(stranger.agent_id).toBeNull()
      // The page still open re-registers (same registration) and gets its agent back.
      const before = await register(links[1]!)
      expect(before.agent_id).not.toBeNull()
      expect(before.init_task_data).toEqual({ text: 'Not for me, "thanks"' })
      expect(await submit(links[1]!.base, before.agent_id!, { label: 'negative' })).toEqual({
        status: 'Submitted!',
      })
      const result = await again.exited()
      expect(result.code).toBe(0)
      expect(result.stdout).toContain(
        'cli-fixture: run finished: 2 of 2 units completed, 0 expired, 2 submissions',
      )

      await using store = await openDatabase({ dataDir: data.path })
      expect((await store.taskRuns.list()).map((run) => run.id)).toEqual([runId])
      const stored = await store.results.exportSubmissions({ taskName: 'cli-fixture' })
      // Each item labelled exactly once.
      expect(stored.map((submission) => [submission.sharedData, submission.data])).toEqual([
        [{ text: 'I like it' }, { label: 'positive' }],
        [{ text: 'Not for me, "thanks"' }, { label: 'negative' }],
      ])
    },
  )

  it(
    'a page left open submits without registering again: the resumed backend announced its agent',
    SEVERAL_PROCESSES,
    async () => {
      await using data = await tempDir('faust-cli-resume-open-')
      const { runId, heldAgentId } = await killedMidRun(data.path)
      const again = startCli(['run', FIXTURE_DIR, '--port', '0', '--data-dir', data.path])
      const links = await workerLinks(again)
      // A round trip through the backend: its announcements, sent first on
      // the same socket, have reached the router by the time this is answered.
      expect((await register({ ...links[0]!, workerId: 'worker-9' })).agent_id).toBeNull()
      expect(await submit(links[1]!.base, heldAgentId, { label: 'negative' })).toEqual({
        status: 'Submitted!',
      })
      expect((await again.exited()).code).toBe(0)
      await using store = await openDatabase({ dataDir: data.path })
      expect((await store.taskRuns.list()).map((run) => run.id)).toEqual([runId])
      expect((await store.submissions.get(heldAgentId))?.data).toEqual({ label: 'negative' })
    },
  )

  it(
    '--new-run ends the unfinished run (its units expired) and starts a new one',
    SEVERAL_PROCESSES,
    async () => {
      await using data = await tempDir('faust-cli-new-run-')
      const { runId } = await killedMidRun(data.path)
      const fresh = startCli([
        'run',
        FIXTURE_DIR,
        '--new-run',
        '--port',
        '0',
        '--data-dir',
        data.path,
      ])
      await workerLinks(fresh)
      expect(fresh.stdout()).not.toContain('resuming run')
      fresh.child.kill('SIGTERM')
      expect((await fresh.exited()).code).toBe(0)
      const runs = await listRuns(data.path)
      expect(runs.map((run) => run.id)[0]).toBe(runId)
      expect(runs).toEqual([
        expect.objectContaining({
          id: runId,
          endedAt: expect.any(String) as unknown,
          units: { total: 2, completed: 1, expired: 1 },
        }),
        // SIGTERM paused the new run: unfinished, its units still offered.
        expect.objectContaining({ endedAt: null, units: { total: 2, launched: 2 } }),
      ])
      expect(runs[1]!.id).not.toBe(runId)
    },
  )

  it(
    'refuses to resume over changed data with RUN_DATA_CHANGED, naming --new-run',
    SEVERAL_PROCESSES,
    async () => {
      await using dir = await tempDir('faust-cli-data-changed-')
      const taskDir = join(dir.path, 'task')
      await mkdir(taskDir)
      await cp(join(FIXTURE_DIR, 'page'), join(taskDir, 'page'), { recursive: true })
      await cp(join(FIXTURE_DIR, 'data.jsonl'), join(taskDir, 'data.jsonl'))
      await writeFile(
        join(taskDir, 'task.mjs'),
        `import { defineTask } from '${BACKEND_URL}'\nexport default defineTask({ name: 'cli-fixture', page: 'page', data: 'data.jsonl' })\n`,
      )
      const dataDir = join(dir.path, 'data')
      await killedMidRun(dataDir, taskDir)
      await writeFile(join(taskDir, 'data.jsonl'), '{"text":"something else"}\n')
      const result = await runCli(['run', taskDir, '--port', '0', '--data-dir', dataDir])
      expect(result.code).toBe(1)
      expect(result.stderr).toMatch(/^faust: task 'cli-fixture' has an unfinished run \w+ whose/m)
      expect(result.stderr).toContain('--new-run')
    },
  )
})

describe('faust runs', () => {
  it(
    'prints a table (also as faust status), unfinished runs marked',
    SEVERAL_PROCESSES,
    async () => {
      await using data = await tempDir('faust-cli-runs-')
      const { runId } = await killedMidRun(data.path)
      const table = await runCli(['runs', '--data-dir', data.path])
      expect(table.code).toBe(0)
      const [header, row, extra] = table.stdout.split('\n')
      expect(header).toMatch(
        /^run +task +started +ended +units +completed +in progress +offered +waiting +expired$/,
      )
      expect(row).toMatch(
        new RegExp(
          `^${runId} +cli-fixture +\\d{4}-\\d\\d-\\d\\dT\\S+Z +unfinished +2 +1 +1 +0 +0 +0$`,
        ),
      )
      expect(extra).toBe('')
      const status = await runCli(['status', '--data-dir', data.path])
      expect(status.stdout).toBe(table.stdout)
    },
  )

  it('fails without a data folder, creating nothing', async () => {
    await using dir = await tempDir('faust-cli-runs-none-')
    const result = await runCli(['runs', '--data-dir', join(dir.path, 'nothing')])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^faust: no Faust data in .*nothing/)
  })
})
