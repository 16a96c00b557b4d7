// `faust run-config` through the built CLI: against a live `faust run` in
// another process (the change applied at once by the running process), and
// against a run no process serves (the change stored, the resumed run
// starting with it).
import { cp, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FailureReason } from '@faust/protocol'
import {
  BACKEND_URL,
  FIXTURE_DIR,
  SEVERAL_PROCESSES,
  register,
  runCli,
  startCli,
  tempDir,
  workerLinks,
  type CliProcess,
  type WorkerLink,
} from '../support/cli-process.js'

/** A task of four items, one offered at a time, in `dir/task`. */
async function writeTask(dir: string): Promise<string> {
  const taskDir = join(dir, 'task')
  await mkdir(taskDir)
  await cp(join(FIXTURE_DIR, 'page'), join(taskDir, 'page'), { recursive: true })
  await writeFile(
    join(taskDir, 'task.mjs'),
    `import { defineTask } from '${BACKEND_URL}'\nexport default defineTask({ name: 'live-config', page: 'page', data: [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }], maxConcurrentUnits: 1 })\n`,
  )
  return taskDir
}

/** The live test starts ten CLI processes one after another: slow on a loaded machine. */
const MANY_PROCESSES = { timeout: 150_000 }

function config(dataDir: string, ...args: string[]): ReturnType<typeof runCli> {
  return runCli(['run-config', 'live-config', ...args, '--data-dir', dataDir])
}

/** A new worker on the run's router. */
function stranger(links: readonly WorkerLink[], name: string): WorkerLink {
  return { ...links[0]!, workerId: name }
}

async function startRun(
  taskDir: string,
  dataDir: string,
): Promise<{ cli: CliProcess; links: WorkerLink[] }> {
  const cli = startCli(['run', taskDir, '--port', '0', '--data-dir', dataDir])
  return { cli, links: await workerLinks(cli) }
}

describe('faust run-config against a live faust run', () => {
  it(
    '--pause refuses new workers with RUN_PAUSED, --resume and --set apply at once, --add-items, --expire, --end',
    MANY_PROCESSES,
    async () => {
      await using dir = await tempDir('faust-cli-run-config-')
      const taskDir = await writeTask(dir.path)
      const dataDir = join(dir.path, 'data')
      const { cli, links } = await startRun(taskDir, dataDir)
      await cli.waitFor(/units 4 · waiting 3 · offered 1/, 'one unit offered')

      const paused = await config(dataDir, '--pause')
      expect(paused).toMatchObject({ code: 0 })
      expect(paused.stdout).toMatch(
        /^run \w+: launching paused \(live: the running process applied it\)$/m,
      )
      expect(await register(stranger(links, 'worker-8'))).toMatchObject({
        agent_id: null,
        failure_reason: FailureReason.RUN_PAUSED,
      })

      expect((await config(dataDir, '--resume')).stdout).toContain('launching resumed (live')
      expect((await register(stranger(links, 'worker-8'))).agent_id).not.toBeNull()

      const raised = await config(dataDir, '--set', 'maxConcurrentUnits=3')
      expect(raised.stdout).toMatch(/maxConcurrentUnits 1 → 3 \(live/)
      // Launched at once by the running process: two more units offered.
      await cli.waitFor(/offered 2 · in progress 1/, 'two more units offered')

      const shown = await config(dataDir, '--show', '--json')
      expect(JSON.parse(shown.stdout)).toMatchObject({
        live: true,
        ended: false,
        settings: { maxConcurrentUnits: 3, launching: 'open' },
        units: { launched: 2, assigned: 1, created: 1 },
      })

      const items = join(dir.path, 'more.jsonl')
      await writeFile(items, '{"n":5}\n{"n":6}\n')
      expect((await config(dataDir, '--add-items', items)).stdout).toContain(
        'added 2 items, 2 units (live',
      )
      await cli.waitFor(/units 6 · waiting 3/, 'the added units counted')

      const expired = await config(dataDir, '--expire', 'unassigned')
      expect(expired.stdout).toContain('expired 5 units, 0 of them held by a worker (live')
      await cli.waitFor(/expired 5/, 'the expired units counted')

      expect((await config(dataDir, '--end')).stdout).toMatch(/: ended \(live/)
      const result = await cli.exited()
      expect(result.code).toBe(0)

      const after = await config(dataDir, '--pause')
      expect(after.code).toBe(1)
      expect(after.stderr).toMatch(/^faust: RUN_ENDED: run \w+ has ended/m)
    },
  )
})

describe('faust run-config with no process serving the run', () => {
  it('stores the change; the resumed run starts with it', SEVERAL_PROCESSES, async () => {
    await using dir = await tempDir('faust-cli-run-config-stored-')
    const taskDir = await writeTask(dir.path)
    const dataDir = join(dir.path, 'data')
    const first = await startRun(taskDir, dataDir)
    // Ctrl-C (here SIGTERM) leaves the run to be resumed, its lease given up.
    first.cli.child.kill('SIGTERM')
    expect((await first.cli.exited()).code).toBe(0)

    const set = await config(
      dataDir,
      '--set',
      'maxConcurrentUnits=2',
      '--set',
      'allowedConcurrent=1',
    )
    expect(set.code).toBe(0)
    expect(set.stdout).toMatch(/maxConcurrentUnits 1 → 2 \(stored: no process serves the run/)
    expect(set.stdout).toMatch(/allowedConcurrent 0 → 1 \(stored/)
    expect((await config(dataDir, '--pause')).stdout).toContain('launching paused (stored')
    expect((await config(dataDir, '--show')).stdout).toMatch(
      /not served \(resumes with these settings\)\n {2}launching: paused\n {2}maxConcurrentUnits: 2\n/,
    )

    const again = await startRun(taskDir, dataDir)
    expect(await register(stranger(again.links, 'worker-7'))).toMatchObject({
      failure_reason: FailureReason.RUN_PAUSED,
    })
    expect((await config(dataDir, '--resume')).stdout).toContain('(live')
    await again.cli.waitFor(/offered 2/, 'two units offered (the stored limit)')
    again.cli.child.kill('SIGTERM')
    expect((await again.cli.exited()).code).toBe(0)
  })

  it(
    'a live process that stopped answering: RUN_NOT_RESPONDING after --wait-ms, nothing changed',
    SEVERAL_PROCESSES,
    async () => {
      await using dir = await tempDir('faust-cli-run-config-hung-')
      const taskDir = await writeTask(dir.path)
      const dataDir = join(dir.path, 'data')
      const { cli } = await startRun(taskDir, dataDir)
      // Stopped, not ended: its lease stays fresh but nobody polls the commands.
      cli.child.kill('SIGSTOP')
      try {
        const result = await config(dataDir, '--pause', '--wait-ms', '300')
        expect(result.code).toBe(1)
        expect(result.stderr).toMatch(/^faust: RUN_NOT_RESPONDING: /m)
      } finally {
        cli.child.kill('SIGKILL')
      }
      const shown = await config(dataDir, '--show', '--json')
      expect(JSON.parse(shown.stdout)).toMatchObject({ settings: { launching: 'open' } })
    },
  )

  it('refuses bad flags and unknown tasks with their codes', SEVERAL_PROCESSES, async () => {
    await using dir = await tempDir('faust-cli-run-config-bad-')
    const taskDir = await writeTask(dir.path)
    const dataDir = join(dir.path, 'data')
    const { cli } = await startRun(taskDir, dataDir)
    cli.child.kill('SIGTERM')
    await cli.exited()
    const unknown = await runCli(['run-config', 'nope', '--pause', '--data-dir', dataDir])
    expect(unknown.stderr).toMatch(/^faust: RUN_NOT_FOUND: task 'nope' has no run/m)
    const badKey = await config(dataDir, '--set', 'pay=3')
    expect(badKey.code).not.toBe(0)
    expect(badKey.stderr).toContain('maxConcurrentUnits, maximumUnitsPerWorker')
    const two = await config(dataDir, '--pause', '--end')
    expect(two.stderr).toMatch(/give one of --pause/)
    const invalid = await config(dataDir, '--set', 'assignmentDurationSeconds=0')
    expect(invalid.stderr).toMatch(/^faust: RUN_CHANGE_INVALID: /m)
  })
})
