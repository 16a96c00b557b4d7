import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { FailureReason } from '@faust/protocol'
import {
  FIXTURE_DIR,
  register,
  runCli,
  startCli,
  tempDir,
  workerLinks,
  SEVERAL_PROCESSES,
} from '../support/cli-process.js'

/** `faust <args> --data-dir <dir>`, expected to succeed; returns stdout. */
async function faust(dataDir: string, ...args: string[]): Promise<string> {
  const result = await runCli([...args, '--data-dir', dataDir])
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  return result.stdout
}

/** The rows of `faust qualify list` as [worker, provider, qualification, value]. */
function tableRows(stdout: string): string[][] {
  const [header, ...rows] = stdout.trimEnd().split('\n')
  expect(header).toMatch(/^WORKER\s+PROVIDER\s+QUALIFICATION\s+VALUE\s+GRANTED$/)
  return rows.map((row) => {
    const cells = row.split(/\s{2,}/)
    expect(cells[4]).toMatch(/^\d{4}-\d\d-\d\dT/)
    return cells.slice(0, 4)
  })
}

describe('faust qualify', () => {
  it(
    'grants to a worker named as in the page URL or as stored, lists, and revokes',
    SEVERAL_PROCESSES,
    async () => {
      await using data = await tempDir('faust-cli-qualify-')
      // A worker who never registered is created, with --create, in the mock provider's stored form.
      expect(await faust(data.path, 'qualify', 'grant', 'w1', 'skill', '3', '--create')).toBe(
        "granted 'skill' = 3 to w1_sandbox (mock)\n",
      )
      expect(await faust(data.path, 'qualify', 'grant', 'w1_sandbox', 'skill', '5')).toBe(
        "granted 'skill' = 5 to w1_sandbox (mock)\n",
      )
      expect(await faust(data.path, 'qualify', 'grant', 'w2', 'other', '--create')).toBe(
        "granted 'other' = 1 to w2_sandbox (mock)\n",
      )
      expect(tableRows(await faust(data.path, 'qualify', 'list'))).toEqual([
        ['w2_sandbox', 'mock', 'other', '1'],
        ['w1_sandbox', 'mock', 'skill', '5'],
      ])
      expect(tableRows(await faust(data.path, 'qualify', 'list', '--worker', 'w1'))).toEqual([
        ['w1_sandbox', 'mock', 'skill', '5'],
      ])
      expect(
        tableRows(await faust(data.path, 'qualify', 'list', '--qualification', 'other')),
      ).toEqual([['w2_sandbox', 'mock', 'other', '1']])

      expect(await faust(data.path, 'qualify', 'revoke', 'w1', 'skill')).toBe(
        "revoked 'skill' from w1_sandbox (mock)\n",
      )
      expect(await faust(data.path, 'qualify', 'revoke', 'w1', 'skill')).toBe(
        "w1_sandbox (mock) did not have 'skill': nothing to revoke\n",
      )
      expect(await faust(data.path, 'qualify', 'list', '--worker', 'w1_sandbox')).toBe(
        'no qualifications granted\n',
      )
    },
  )

  it(
    'keeps exact names for other providers, and takes negative values after --',
    SEVERAL_PROCESSES,
    async () => {
      await using data = await tempDir('faust-cli-qualify-provider-')
      // No Prolific credentials here: the grant stands, and stderr says Prolific was not changed.
      const created = await runCli([
        'qualify',
        'grant',
        'p1',
        'level',
        '--provider',
        'prolific',
        '--create',
        '--data-dir',
        data.path,
      ])
      expect(created).toMatchObject({ code: 0, stdout: "granted 'level' = 1 to p1 (prolific)\n" })
      expect(created.stderr).toMatch(/^not changed on prolific: PROLIFIC_API_TOKEN is not set/)
      // Without --provider, an existing worker of any provider is found by name.
      const negative = await runCli([
        'qualify',
        'grant',
        '--data-dir',
        data.path,
        'p1',
        'level',
        '--',
        '-2',
      ])
      expect(negative.stdout).toBe("granted 'level' = -2 to p1 (prolific)\n")
      expect(tableRows(await faust(data.path, 'qualify', 'list'))).toEqual([
        ['p1', 'prolific', 'level', '-2'],
      ])
    },
  )

  it(
    'refuses unknown workers, bad values and missing data folders',
    SEVERAL_PROCESSES,
    async () => {
      await using data = await tempDir('faust-cli-qualify-errors-')
      await faust(data.path, 'qualify', 'grant', 'w1', 'skill', '--create')
      const unknown = await runCli([
        'qualify',
        'revoke',
        'nobody',
        'skill',
        '--data-dir',
        data.path,
      ])
      expect(unknown.code).toBe(1)
      expect(unknown.stderr).toBe(
        `faust: no worker 'nobody' (nor 'nobody_sandbox') in ${data.path}\n`,
      )
      const badValue = await runCli([
        'qualify',
        'grant',
        'w1',
        'skill',
        'lots',
        '--data-dir',
        data.path,
      ])
      expect(badValue.code).not.toBe(0)
      expect(badValue.stderr).toContain("expected a whole number, got 'lots'")
      const noData = await runCli(['qualify', 'list', '--data-dir', `${data.path}/missing`])
      expect(noData.code).toBe(1)
      expect(noData.stderr).toContain('no Faust data in')
    },
  )
})

describe('faust block', () => {
  it(
    'blocks and unblocks a worker, and a run refuses the blocked worker',
    SEVERAL_PROCESSES,
    async () => {
      await using data = await tempDir('faust-cli-block-')
      expect(await faust(data.path, 'block', 'worker-1', '--create')).toBe(
        "blocked worker-1_sandbox (mock): 'blocked' granted\n",
      )
      expect(tableRows(await faust(data.path, 'qualify', 'list'))).toEqual([
        ['worker-1_sandbox', 'mock', 'blocked', '1'],
      ])

      // The fixture task keeps the default block qualification: worker-1 is refused.
      const cli = startCli(['run', FIXTURE_DIR, '--port', '0', '--data-dir', data.path])
      const [first, second] = await workerLinks(cli)
      const refused = await register(first!)
      expect(refused).toMatchObject({ agent_id: null, failure_reason: FailureReason.BLOCKED })
      const accepted = await register(second!)
      expect(accepted.agent_id).not.toBeNull()
      cli.child.kill('SIGTERM')
      expect((await cli.exited()).code).toBe(0)

      expect(await faust(data.path, 'block', '--revoke', 'worker-1')).toBe(
        "unblocked worker-1_sandbox (mock) ('blocked' revoked)\n",
      )
      expect(await faust(data.path, 'block', '--revoke', 'worker-1')).toBe(
        "worker-1_sandbox (mock) was not blocked ('blocked' not granted)\n",
      )
      expect(await faust(data.path, 'block', 'w9', '--qualification', 'banned', '--create')).toBe(
        "blocked w9_sandbox (mock): 'banned' granted\n",
      )
    },
  )
})

// Issue 12: a worker name never seen (a typo, most often) was quietly created
// and qualified or blocked; now it is refused unless --create (or its variable) says so.
describe('a worker never seen', () => {
  it.each([
    { command: ['block', 'w7'], created: "blocked w7_sandbox (mock): 'blocked' granted\n" },
    {
      command: ['qualify', 'grant', 'w7', 'skill'],
      created: "granted 'skill' = 1 to w7_sandbox (mock)\n",
    },
  ])(
    'faust $command.0 is refused naming --create, then created with --create or FAUST_CREATE_WORKER',
    SEVERAL_PROCESSES,
    async ({ command, created }) => {
      await using data = await tempDir('faust-cli-create-')
      const noData = await runCli([...command, '--data-dir', `${data.path}/none`])
      expect(noData.code).toBe(1)
      expect(noData.stderr).toContain("faust: no worker 'w7'")
      expect(noData.stderr).toContain('pass --create')
      // Nothing was created: the data folder is still missing.
      expect(existsSync(`${data.path}/none`)).toBe(false)

      // A data folder that exists, but not the worker: refused too, and not added.
      await faust(data.path, 'qualify', 'grant', 'w1', 'other', '--create')
      const unknown = await runCli([...command, '--data-dir', data.path])
      expect(unknown.code).toBe(1)
      expect(unknown.stderr).toBe(
        `faust: no worker 'w7' (nor 'w7_sandbox') in ${data.path}: pass --create to create it ahead of its first registration\n`,
      )
      expect(tableRows(await faust(data.path, 'qualify', 'list'))).toEqual([
        ['w1_sandbox', 'mock', 'other', '1'],
      ])
      // The variable at 0 leaves it off.
      const off = await runCli([...command, '--data-dir', data.path], { FAUST_CREATE_WORKER: '0' })
      expect(off.code).toBe(1)

      const byVariable = await runCli([...command, '--data-dir', data.path], {
        FAUST_CREATE_WORKER: '1',
      })
      expect(byVariable).toMatchObject({ code: 0, stdout: created })
      await using other = await tempDir('faust-cli-create-flag-')
      expect(await faust(other.path, ...command, '--create')).toBe(created)
    },
  )
})
