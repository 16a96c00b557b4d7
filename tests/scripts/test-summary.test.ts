// scripts/test-summary.js prints CI's one summary line from Vitest's JSON
// report; here it reads hand-made reports in the shape Vitest writes.
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '../../scripts/test-summary.js')

interface FileReport {
  readonly status: 'passed' | 'failed'
  readonly assertionResults: readonly { readonly status: 'passed' | 'failed' }[]
}

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'faust-test-summary-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Runs the script on a report made of `files`; its stdout line and exit code. */
async function summarize(files: readonly FileReport[]): Promise<{ line: string; code: number }> {
  const tests = files.flatMap((file) => file.assertionResults)
  const report = {
    numPassedTests: tests.filter((test) => test.status === 'passed').length,
    numFailedTests: tests.filter((test) => test.status === 'failed').length,
    numPendingTests: 0,
    numTodoTests: 0,
    testResults: files,
  }
  const path = join(dir, `${String(Math.random()).slice(2)}.json`)
  await writeFile(path, JSON.stringify(report))
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [SCRIPT, path])
    return { line: stdout.trim(), code: 0 }
  } catch (error) {
    const { stdout, code } = error as { stdout: string; code: number }
    return { line: stdout.trim(), code }
  }
}

const pass = { status: 'passed' } as const
const fail = { status: 'failed' } as const

describe('scripts/test-summary.js', () => {
  it('counts passing tests and exits 0', async () => {
    expect(await summarize([{ status: 'passed', assertionResults: [pass, pass] }])).toEqual({
      line: '2 passed, 0 failed, 0 skipped',
      code: 0,
    })
  })

  it('counts a failed test once, not again for its file', async () => {
    expect(await summarize([{ status: 'failed', assertionResults: [pass, fail] }])).toEqual({
      line: '1 passed, 1 failed, 0 skipped',
      code: 1,
    })
  })

  it('counts a file that failed to load', async () => {
    expect(
      await summarize([
        { status: 'passed', assertionResults: [pass] },
        { status: 'failed', assertionResults: [] },
      ]),
    ).toEqual({ line: '1 passed, 1 failed, 0 skipped', code: 1 })
  })

  it('counts a file failed outside its passing tests (a type error between type tests)', async () => {
    expect(await summarize([{ status: 'failed', assertionResults: [pass, pass] }])).toEqual({
      line: '2 passed, 1 failed, 0 skipped',
      code: 1,
    })
  })

  it('fails when nothing ran', async () => {
    expect(await summarize([])).toEqual({ line: '0 passed, 0 failed, 0 skipped', code: 1 })
  })
})
