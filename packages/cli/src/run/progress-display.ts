import type { RunProgress } from '@faust/backend'
import type { OutputStream } from '../command-io.js'
import { formatProgress } from './format-progress.js'

/** Shows a run's progress while it lasts. */
export interface ProgressDisplay {
  update(progress: RunProgress): void
  /** Leaves the last state on screen and gives the terminal back. */
  close(): void
}

/** Options of {@link createProgressDisplay}. */
export interface ProgressDisplayOptions {
  /** Where progress goes; a terminal gets one line redrawn in place. */
  readonly stdout: OutputStream
  /**
   * Other writers to the same terminal (stderr). While the status line is up,
   * their writes first erase it, so that a task hook's `console.log` does not
   * land in the middle of it.
   */
  readonly others?: readonly OutputStream[] | undefined
  /** Stamps plain lines. @default () => new Date() */
  readonly now?: (() => Date) | undefined
}

const CLEAR_LINE = '\r\u001B[2K'

/**
 * On a terminal: one status line redrawn in place. Elsewhere (pipes, CI
 * logs): one timestamped line per change, repeats dropped.
 */
export function createProgressDisplay(options: ProgressDisplayOptions): ProgressDisplay {
  return options.stdout.isTTY === true
    ? terminalDisplay(options.stdout, options.others ?? [])
    : plainDisplay(options.stdout, options.now ?? (() => new Date()))
}

function plainDisplay(stdout: OutputStream, now: () => Date): ProgressDisplay {
  let last: string | undefined
  return {
    update(progress) {
      const line = formatProgress(progress)
      if (line === last) return
      last = line
      stdout.write(`${now().toTimeString().slice(0, 8)} ${line}\n`)
    },
    close: () => undefined,
  }
}

function terminalDisplay(stdout: OutputStream, others: readonly OutputStream[]): ProgressDisplay {
  let line: string | undefined
  let shown = false
  // Our own writes bypass the interception below.
  const writeOwn = stdout.write.bind(stdout)
  const draw = (): void => {
    if (line === undefined) return
    // A line wider than the terminal wraps, and `\r` would then redraw only its tail.
    const width = stdout.columns ?? 0
    writeOwn(`${CLEAR_LINE}${width > 1 ? line.slice(0, width - 1) : line}`)
    shown = true
  }
  const restores = [stdout, ...others].map((stream) =>
    interceptWrites(stream, {
      before() {
        if (shown) writeOwn(CLEAR_LINE)
        shown = false
      },
      // Redraw only after a whole line; a partial one would run into the status.
      after(endsLine) {
        if (endsLine) draw()
      },
    }),
  )
  return {
    update(progress) {
      const next = formatProgress(progress)
      if (next === line && shown) return
      line = next
      draw()
    },
    close() {
      for (const restore of restores) restore()
      if (shown) writeOwn('\n')
      shown = false
    },
  }
}

/** Wraps `stream.write` so `before` and `after` run around every write; returns the undo. */
function interceptWrites(
  stream: OutputStream,
  hooks: { before(): void; after(endsLine: boolean): void },
): () => void {
  // Node's streams take (chunk, encoding?, callback?); every argument is passed on untouched.
  const target = stream as unknown as { write: (...args: unknown[]) => unknown }
  const original = target.write
  target.write = (...args: unknown[]) => {
    hooks.before()
    const result = Reflect.apply(original, stream, args)
    hooks.after(endsWithNewline(args[0]))
    return result
  }
  return () => {
    target.write = original
  }
}

function endsWithNewline(chunk: unknown): boolean {
  if (typeof chunk === 'string') return chunk.endsWith('\n')
  return chunk instanceof Uint8Array && chunk.at(-1) === 0x0a
}
