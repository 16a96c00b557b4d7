import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { once } from 'node:events'
import { mkdtemp, rm, writeFile, cp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { within } from '@faust/testing'
import { BACKEND_URL, FIXTURE_DIR } from '../support/cli-process.js'
import { BIN, example, failedChecks, simulate } from './simulate-process.js'

// Real processes (a router, a backend, bots) with real time: small bot counts,
// generous bounds for a loaded machine.
const SLOW = { timeout: 120_000 }
const CHECKS = [
  'every acknowledged submission is stored exactly once',
  'no unit is completed by two agents',
  'no item is done twice',
  'every unit ends completed',
  'the run finishes',
  'no worker is left with a page that cannot go on',
]

describe('faust simulate', () => {
  it('runs the static example end to end with bots and every check holds', SLOW, async () => {
    const result = await simulate(
      [example('static-form'), '--workers', '4', '--seed', '1'],
      100_000,
    )
    expect(failedChecks(result.stdout)).toEqual([])
    expect(result.stdout).toContain('label-sentiment, 4 workers, seed 1, chaos: none')
    // Every unit of the eight items was submitted once and acknowledged.
    expect(result.stdout).toMatch(/passed in [\d.]+ s: 8 submissions acknowledged/)
    for (const check of CHECKS) expect(result.stdout).toContain(`ok   ${check}`)
    expect(result.code).toBe(0)
  })

  it('runs the chat example (live pairs) end to end', SLOW, async () => {
    const result = await simulate([example('chat'), '--workers', '5', '--seed', '2'], 100_000)
    expect(failedChecks(result.stdout)).toEqual([])
    expect(result.stdout).toMatch(/passed in [\d.]+ s: 6 submissions acknowledged/)
    expect(result.code).toBe(0)
  })

  it('keeps the store in --data-dir for faust results', SLOW, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'faust-sim-data-'))
    try {
      const result = await simulate(
        [example('model-in-the-loop'), '--workers', '2', '--data-dir', dataDir],
        100_000,
      )
      expect(failedChecks(result.stdout)).toEqual([])
      expect(result.stdout).toContain(`data folder (with simulate.log): ${dataDir}`)
      expect(result.code).toBe(0)
    } finally {
      await rm(dataDir, { recursive: true, force: true })
    }
  })

  it('refuses a task without a bot, and an unknown fault, with exit code 1', SLOW, async () => {
    const noBot = await simulate([join(FIXTURE_DIR, 'task.js'), '--workers', '1'], 30_000)
    expect(noBot.stderr).toContain('the task has no bot to simulate workers with')
    expect(noBot.code).toBe(1)
    const badChaos = await simulate([example('static-form'), '--chaos', 'router,flood'], 30_000)
    expect(badChaos.stderr).toContain("--chaos: unknown fault 'flood'")
    expect(badChaos.code).toBe(1)
  })

  it('kills its router and backend when it is told to stop', SLOW, async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'simulate', example('static-form'), '--workers', '1', '--chaos', 'slow'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
    let stderr = ''
    const pids = await within(
      new Promise<number[]>((resolve) => {
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString()
          const match = /\(pid (\d+)\), backend pid (\d+)/.exec(stderr)
          if (match !== null) resolve([Number(match[1]), Number(match[2])])
        })
      }),
      60_000,
      'the children to start',
    )
    // A killed child may stay a zombie until reaped: that counts as gone.
    const alive = (pid: number): boolean => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${String(pid)}/stat`, 'utf8'))
      } catch {
        return false
      }
    }
    expect(pids.map(alive)).toEqual([true, true])
    const closed = once(child, 'close')
    child.kill('SIGTERM')
    const [code] = (await within(closed, 30_000, 'faust simulate to stop')) as [number | null]
    expect(code).toBe(143)
    await vi.waitFor(
      () => {
        expect(pids.map(alive)).toEqual([false, false])
      },
      { timeout: 5000 },
    )
  })

  it('fails, naming each broken check, when the bots never finish their units', SLOW, async () => {
    // Bots that never answer hold both units until the time limit.
    const dir = await mkdtemp(join(tmpdir(), 'faust-sim-task-'))
    try {
      await cp(join(FIXTURE_DIR, 'page'), join(dir, 'page'), { recursive: true })
      await writeFile(
        join(dir, 'task.mjs'),
        [
          `import { defineTask } from ${JSON.stringify(BACKEND_URL)}`,
          'export default defineTask({',
          "  name: 'sim-silent-bots', page: 'page', data: [{ n: 1 }, { n: 2 }],",
          '  bot: { unit: () => new Promise(() => undefined) },',
          '})',
        ].join('\n'),
      )
      const result = await simulate(
        [join(dir, 'task.mjs'), '--workers', '2', '--time-limit', '15'],
        60_000,
      )
      expect(failedChecks(result.stdout)).toEqual(
        expect.arrayContaining([
          '    FAIL every unit ends completed (2)',
          '    FAIL the run finishes (2)',
          '         - the run did not finish within 15 s',
          expect.stringMatching(/^ +- run \w+ never ended$/),
        ]),
      )
      expect(result.code).toBe(1)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
