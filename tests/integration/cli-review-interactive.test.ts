// `faust review <task>` unit by unit, as `mephisto review` does, through the
// built CLI: answers piped in with --interactive for every key, and once on
// a real pseudo-terminal (util-linux `script`) without the flag.
import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type AuditEntry } from '@faust/backend/store'
import {
  completeFixtureRun,
  runCli,
  tempDir,
  SEVERAL_PROCESSES,
  type CliResult,
} from '../support/cli-process.js'

// A dozen CLI processes one after another, each slow to start on a loaded machine.
const MANY_PROCESSES = { timeout: 3 * SEVERAL_PROCESSES.timeout }
const BIN = fileURLToPath(new URL('../../packages/cli/bin/faust.js', import.meta.url))
const MENU = '[a]pprove [r]eject [s]oft-reject [b]onus [k] block worker [n]ext/skip [q]uit: '

// Worker 1's answer carries a terminal escape (clear screen): it must be shown escaped.
const ANSWERS = [{ label: 'positive', note: 'x\u001b[2Jy' }, { label: 'negative' }]

/** `faust review cli-fixture --interactive`, the answers piped in at once, then the end of input. */
async function reviewWith(dataDir: string, answers: readonly string[]): Promise<CliResult> {
  const child = spawn(
    process.execPath,
    [BIN, 'review', 'cli-fixture', '--interactive', '--data-dir', dataDir],
    { env: { ...process.env, FAUST_LOG_LEVEL: 'warn' }, stdio: ['pipe', 'pipe', 'pipe'] },
  )
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  child.stdin.end(answers.map((answer) => `${answer}\n`).join(''))
  const [code] = (await once(child, 'close')) as [number | null]
  return { code, stdout, stderr }
}

async function auditOf(dataDir: string): Promise<AuditEntry[]> {
  await using store = await openDatabase({ dataDir })
  return store.audit.list()
}

async function reviewStatuses(dataDir: string): Promise<unknown[]> {
  const result = await runCli(['results', 'cli-fixture', '--data-dir', dataDir])
  return result.stdout
    .trimEnd()
    .split('\n')
    .map((line) => {
      const row = JSON.parse(line) as Record<string, unknown>
      return [row['reviewStatus'], row['reviewReason'], row['bonusCents']]
    })
}

describe('faust review, interactive', () => {
  let first: Awaited<ReturnType<typeof tempDir>>
  let second: Awaited<ReturnType<typeof tempDir>>

  beforeAll(async () => {
    first = await tempDir('faust-review-interactive-')
    second = await tempDir('faust-review-interactive-2-')
    for (const data of [first, second]) {
      const run = await completeFixtureRun(data.path, (index) => ANSWERS[index])
      if (run.code !== 0) throw new Error(`the fixture run failed: ${run.stderr}`)
    }
  }, SEVERAL_PROCESSES.timeout)

  afterAll(async () => {
    await first[Symbol.asyncDispose]()
    await second[Symbol.asyncDispose]()
  })

  it(
    'bonus, block and approve the first unit, reject the second; refusals ask again',
    MANY_PROCESSES,
    async () => {
      const result = await reviewWith(first.path, [
        'x', // not a key: asked again
        'b',
        'lots', // not an amount: no bonus
        'b',
        '0', // nothing: no bonus
        'b',
        '0.50',
        '', // a bonus needs a reason: no bonus
        'b',
        '0.50',
        'great work',
        'k',
        'spam',
        'A', // keys in either case
        'r',
        '', // a rejection needs a reason: asked again
        'r',
        'off topic',
      ])
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      const out = result.stdout
      expect(out).toMatch(
        /── unit 1 of 2: \w+ \(run \w+\)\nworker: {4}worker-1_sandbox \(mock, \w+\)/,
      )
      expect(out).toMatch(
        /submitted: \d{4}-\d\d-\d\dT[\d:.]+Z\ndata:\n {2}\{\n {4}"label": "positive",/,
      )
      // The escape is shown as text, never sent to the terminal.
      expect(out).toContain(String.raw`"note": "x\u001b[2Jy"`)
      expect(out).not.toContain('\u001b')
      expect(out).toContain('files:     none')
      expect(out).toContain("'x' is not one of a, r, s, b, k, n, q: type a letter and Enter")
      expect(out).toContain("expected an amount such as 25 or 25.50 (no currency sign), got 'lots'")
      expect(out).toContain('the amount must be more than 0: no bonus paid')
      expect(out.split('a reason is needed: nothing done')).toHaveLength(3)
      expect(out).toMatch(/bonus 0\.50 unit \w+ \(agent \w+\): done/)
      expect(out).toContain('blocked worker-1_sandbox\n')
      expect(out).toMatch(/approve unit \w+ \(agent \w+\): done/)
      expect(out).toMatch(/── unit 2 of 2: .*\nworker: {4}worker-2_sandbox/)
      expect(out).toMatch(/reject unit \w+ \(agent \w+\): done/)
      expect(out.split(MENU)).toHaveLength(10)
      expect(out).toMatch(
        /review: 1 approved, 1 rejected, 0 soft-rejected, 1 bonuses, 1 blocked, 0 skipped, 0 failed; 0 still pending\n$/,
      )

      expect(await reviewStatuses(first.path)).toEqual([
        ['accepted', null, 50],
        ['rejected', 'off topic', 0],
      ])
      const audit = await auditOf(first.path)
      expect(audit.map((entry) => [entry.actor, entry.action, entry.outcome])).toEqual([
        ['cli', 'review.bonus', 'done'],
        ['cli', 'worker.block', 'done'],
        ['cli', 'review.approve', 'done'],
        ['cli', 'review.reject', 'done'],
      ])
      expect(audit[1]?.detail).toMatchObject({
        workerName: 'worker-1_sandbox',
        reason: 'spam',
        qualification: 'blocked',
        platform: 'none',
      })
      const blocked = await runCli(['qualify', 'list', '--data-dir', first.path])
      expect(blocked.stdout).toMatch(/\nworker-1_sandbox\s+mock\s+blocked\s+1\s/)

      // faust audit shows the same log: all of it, as JSON, or a task's or run's entries.
      const json = await runCli(['audit', '--json', '--data-dir', first.path])
      expect(JSON.parse(json.stdout)).toEqual(audit)
      const table = await runCli(['audit', '--data-dir', first.path])
      expect(table.stdout).toMatch(/^ID\s+AT\s+ACTOR\s+ACTION\s+TASK\s+TARGET\s+OUTCOME\s+DETAIL\n/)
      expect(table.stdout).toMatch(
        /\n2\s+\S+Z\s+cli\s+worker\.block\s+\w+\s+done\s+workerName=worker-1_sandbox .*reason=spam platform=none\n/,
      )
      expect(table.stdout).toMatch(
        /\n1\s+.*review\.bonus\s+cli-fixture\s+\w+\s+done\s+.*reason=great work amountCents=50\n/,
      )
      const byTask = await runCli(['audit', '--task', 'cli-fixture', '--data-dir', first.path])
      expect(byTask.stdout.trimEnd().split('\n')).toHaveLength(4)
      expect(byTask.stdout).not.toContain('worker.block')
      const byRun = await runCli([
        'audit',
        '--run',
        audit[0]!.taskRunId!,
        '--json',
        '--data-dir',
        first.path,
      ])
      expect((JSON.parse(byRun.stdout) as AuditEntry[]).map((entry) => entry.id)).toEqual([1, 3, 4])
      const none = await runCli(['audit', '--run', 'nope', '--data-dir', first.path])
      expect(none).toMatchObject({ code: 0, stdout: 'no audit entries\n' })

      // Nothing left: said so, nothing asked.
      const again = await reviewWith(first.path, ['a'])
      expect(again).toMatchObject({ code: 0, stderr: '' })
      expect(again.stdout).toBe(
        'nothing to review: no completed unit of cli-fixture awaits a decision\n' +
          'review: 0 approved, 0 rejected, 0 soft-rejected, 0 bonuses, 0 blocked, 0 skipped, 0 failed; 0 still pending\n',
      )
    },
  )

  it('soft-rejects, skips, quits, and stops at the end of input', SEVERAL_PROCESSES, async () => {
    const walked = await reviewWith(second.path, ['s', '', 'n'])
    expect(walked.code).toBe(0)
    expect(walked.stdout).toMatch(/soft-reject unit \w+ \(agent \w+\): done/)
    expect(walked.stdout).toContain(
      'review: 0 approved, 0 rejected, 1 soft-rejected, 0 bonuses, 0 blocked, 1 skipped, 0 failed; 1 still pending\n',
    )
    expect(await reviewStatuses(second.path)).toEqual([
      ['soft_rejected', null, 0],
      [null, null, 0],
    ])

    // The skipped unit is shown first now; q quits before anything is done.
    const quit = await reviewWith(second.path, ['q', 'a'])
    expect(quit.stdout).toMatch(/── unit 1 of 1: .*\nworker: {4}worker-2_sandbox/)
    expect(quit.stdout).toContain('0 skipped, 0 failed; 1 still pending\n')
    // No answer at all (the end of input) quits the same way.
    const ended = await reviewWith(second.path, [])
    expect(ended.code).toBe(0)
    expect(ended.stdout).toMatch(/\[q\]uit: \nreview: 0 approved.*; 1 still pending\n$/)
    expect(await reviewStatuses(second.path)).toEqual([
      ['soft_rejected', null, 0],
      [null, null, 0],
    ])
    const audit = await auditOf(second.path)
    expect(audit.map((entry) => [entry.action, entry.outcome, entry.detail['reason']])).toEqual([
      ['review.soft_reject', 'done', null],
    ])
  })

  it('refuses action flags with --interactive, and no flag without a terminal', async () => {
    const both = await runCli([
      'review',
      'cli-fixture',
      '--interactive',
      '--approve',
      'all-pending',
      '--json',
      '--data-dir',
      second.path,
    ])
    expect(both.code).toBe(1)
    expect(both.stderr).toBe(
      "faust: --interactive asks for each unit's action: leave out --approve, --json\n",
    )
    const none = await runCli(['review', 'cli-fixture', '--data-dir', second.path])
    expect(none.code).toBe(1)
    expect(none.stderr).toContain('(or review unit by unit: on a terminal, or with --interactive)')
  })

  const hasScript = spawnSync('script', ['--version']).status === 0
  it.runIf(hasScript)(
    'is interactive on a terminal without the flag; Ctrl-C ends it with the summary',
    SEVERAL_PROCESSES,
    async () => {
      // `script` runs the command through $SHELL -c. dash (CI's /bin/sh) does not
      // exec a lone command: it stayed in the terminal's foreground group, died of
      // the Ctrl-C and made `script` answer 130. `exec` leaves only faust there.
      const words = [process.execPath, BIN, 'review', 'cli-fixture', '--data-dir', second.path]
      const command = `exec ${words.map((word) => `'${word}'`).join(' ')}`
      const child = spawn('script', ['-qfec', command, '/dev/null'], {
        env: { ...process.env, FAUST_LOG_LEVEL: 'warn' },
        stdio: ['pipe', 'pipe', 'pipe'],
      })
      let out = ''
      const prompts = (): number => out.split(MENU).length - 1
      const waitForPrompt = (count: number): Promise<void> =>
        new Promise((resolve) => {
          const check = (): void => {
            if (prompts() >= count) resolve()
          }
          child.stdout.on('data', check)
          check()
        })
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
      await waitForPrompt(1)
      child.stdin.write('x\r')
      await waitForPrompt(2)
      child.stdin.write('\u0003')
      const [code] = (await once(child, 'close')) as [number | null]
      // With what the terminal showed, when it fails.
      expect({ code, out }).toMatchObject({ code: 0 })
      // The terminal echoed the key; the review went on after it and ended on Ctrl-C.
      expect(out).toContain(`${MENU}x\r\n'x' is not one of`)
      expect(out).toMatch(/review: 0 approved, .*; 1 still pending\r\n/)
    },
  )
})
