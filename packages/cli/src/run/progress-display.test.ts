import { describe, expect, it } from 'vitest'
import type { RunProgress } from '@faust/backend'
import type { OutputStream } from '../command-io.js'
import { createProgressDisplay } from './progress-display.js'

function progress(overrides: Partial<RunProgress> = {}): RunProgress {
  return {
    total: 5,
    waiting: 0,
    launched: 3,
    inProgress: 1,
    completed: 1,
    expired: 0,
    activeWorkers: 1,
    done: false,
    ...overrides,
  }
}

/** A stream that records what is written to it. */
function recorder(options: { isTTY?: boolean; columns?: number } = {}) {
  const writes: string[] = []
  const stream: OutputStream = {
    ...options,
    write: (text: string) => writes.push(text),
  }
  return { stream, writes, text: () => writes.join('') }
}

const LINE = 'units 5 · waiting 0 · offered 3 · in progress 1 · completed 1 · expired 0 · workers 1'

describe('the progress display', () => {
  it('writes one timestamped line per change when not on a terminal, dropping repeats', () => {
    const out = recorder()
    const display = createProgressDisplay({
      stdout: out.stream,
      now: () => new Date(2026, 0, 1, 9, 5, 7),
    })
    display.update(progress())
    display.update(progress())
    display.update(progress({ inProgress: 0, completed: 2 }))
    display.close()
    expect(out.text()).toBe(
      `09:05:07 ${LINE}\n` +
        '09:05:07 units 5 · waiting 0 · offered 3 · in progress 0 · completed 2 · expired 0 · workers 1\n',
    )
  })

  it('redraws one line in place on a terminal and ends it on close', () => {
    const out = recorder({ isTTY: true, columns: 200 })
    const display = createProgressDisplay({ stdout: out.stream })
    display.update(progress())
    display.update(progress())
    display.update(progress({ completed: 2 }))
    display.close()
    expect(out.writes).toEqual([
      `\r\u001B[2K${LINE}`,
      `\r\u001B[2K${LINE.replace('completed 1', 'completed 2')}`,
      '\n',
    ])
  })

  it('cuts the line to the terminal width so that it never wraps', () => {
    const out = recorder({ isTTY: true, columns: 21 })
    const display = createProgressDisplay({ stdout: out.stream })
    display.update(progress())
    expect(out.writes).toEqual(['\r\u001B[2Kunits 5 · waiting 0 '])
  })

  it('moves the status line out of the way of other output, and restores the streams', () => {
    const out = recorder({ isTTY: true })
    const err = recorder({ isTTY: true })
    const display = createProgressDisplay({ stdout: out.stream, others: [err.stream] })
    display.update(progress())
    // A hook's console.log, then a partial write that must not be followed by a redraw.
    out.stream.write('hook says hi\n')
    err.stream.write('a warning\n')
    out.stream.write('partial')
    display.close()
    // Closed: writes pass through untouched again.
    err.stream.write('after\n')
    out.stream.write('after\n')
    expect(out.writes).toEqual([
      `\r\u001B[2K${LINE}`,
      '\r\u001B[2K',
      'hook says hi\n',
      `\r\u001B[2K${LINE}`,
      '\r\u001B[2K',
      `\r\u001B[2K${LINE}`,
      '\r\u001B[2K',
      'partial',
      'after\n',
    ])
    expect(err.writes).toEqual(['a warning\n', 'after\n'])
  })
})
