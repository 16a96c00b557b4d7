import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { within } from '@faust/testing'

// The safety net acts on process-wide events, so it is tested in a real child
// process running the built module: a stray rejection, then an uncaught throw.
const SAFETY_NET_URL = new URL('../../packages/cli/dist/safety-net.js', import.meta.url).href
const CLI_DIR = fileURLToPath(new URL('../../packages/cli/', import.meta.url))

const SCRIPT = `
import { pino } from 'pino'
import { installSafetyNet } from '${SAFETY_NET_URL}'
const net = installSafetyNet({ logger: pino({ level: 'info' }, process.stderr), context: { command: 'probe' } })
net.onFatal(async () => { process.stdout.write('router closed\\n') })
net.onFatal(async () => { process.stdout.write('store closed\\n') })
const forgotten = net.onFatal(async () => { process.stdout.write('never\\n') })
forgotten()
void Promise.reject(new Error('stray rejection'))
setTimeout(() => {
  process.stdout.write('still running\\n')
  setTimeout(() => { throw new Error('boom') }, 10)
}, 50)
setInterval(() => undefined, 1000)
`

interface LogLine {
  level: number
  msg: string
  command?: string
  origin?: string
  err?: { message: string }
}

describe('the safety net of faust run and faust router', () => {
  it('logs a stray rejection and carries on; stops in order and exits 70 on an uncaught exception', async () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT], {
      cwd: CLI_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const [code] = (await within(once(child, 'close'), 10_000, 'the probe to exit')) as [
      number | null,
    ]

    expect(code).toBe(70)
    expect(stdout).toBe('still running\nstore closed\nrouter closed\n')
    const lines = stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as LogLine)
    expect(lines).toEqual([
      expect.objectContaining({
        level: 50,
        msg: 'unhandled promise rejection; carrying on',
        command: 'probe',
        err: expect.objectContaining({ message: 'stray rejection' }) as unknown,
      }),
      expect.objectContaining({
        level: 60,
        msg: 'uncaught exception; stopping',
        command: 'probe',
        origin: 'uncaughtException',
        err: expect.objectContaining({ message: 'boom' }) as unknown,
      }),
    ])
  })
})
