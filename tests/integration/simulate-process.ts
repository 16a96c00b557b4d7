// `faust simulate` as a user runs it: the built bin script in a child process.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { within } from '@faust/testing'

export const BIN = fileURLToPath(new URL('../../packages/cli/bin/faust.js', import.meta.url))

/** An example's folder. */
export const example = (name: string): string =>
  fileURLToPath(new URL(`../../examples/${name}`, import.meta.url))

/** Runs `faust simulate <args>` to its end (bounded by `waitMs`): exit code and output. */
export async function simulate(
  args: readonly string[],
  waitMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, 'simulate', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const closed = once(child, 'close')
  try {
    const [code] = (await within(closed, waitMs, 'faust simulate to end')) as [number | null]
    return { code, stdout, stderr }
  } finally {
    // A timed-out simulation must not outlive the test; it kills its own children.
    if (child.exitCode === null) child.kill('SIGTERM')
  }
}

/** The summary's check lines that failed, with their violations. */
export function failedChecks(stdout: string): string[] {
  return stdout.split('\n').filter((line) => /^\s+(FAIL |- )/.test(line))
}
