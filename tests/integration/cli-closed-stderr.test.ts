// A parent that stops reading the CLI's output (a closed terminal, a log
// shipper that died) must not leave `faust router` spinning: before the fix,
// the EPIPE of stderr became an uncaught exception whose report went to
// stderr again, in a loop that used the CPU and ignored SIGTERM.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { within } from '@faust/testing'

const BIN = fileURLToPath(new URL('../../packages/cli/bin/faust.js', import.meta.url))

/** Resolves at the line saying the router serves (its stop handler is installed by then). */
function servingLine(stderr: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve) => {
    let text = ''
    stderr.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8')
      if (text.includes('faust router: serving')) resolve()
    })
  })
}

describe('faust router with its output pipes closed', () => {
  it('still stops on SIGTERM', { timeout: 30_000 }, async () => {
    const child = spawn(
      process.execPath,
      [
        BIN,
        'router',
        '--port',
        '0',
        '--log-level',
        'debug',
        '--backend-token',
        'closed-stderr-0123456789',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
    try {
      // Serving: it has written to stderr. Then the reader goes away.
      await within(servingLine(child.stderr), 15_000, 'the router to start')
      child.stderr.destroy()
      child.stdout.destroy()
      // Something to log after the pipe closed: a request line at debug level.
      child.kill('SIGTERM')
      const [code, signal] = await within(exited, 10_000, 'the router to exit on SIGTERM')
      expect({ code, signal }).toEqual({ code: 0, signal: null })
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
  })
})
