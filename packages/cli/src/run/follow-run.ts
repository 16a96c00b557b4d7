import type { TaskRunHandle } from '@faust/backend'
import type { CommandIo } from '../command-io.js'
import { createProgressDisplay } from './progress-display.js'

/** Options of {@link followRun}. */
export interface FollowRunOptions {
  readonly run: TaskRunHandle
  readonly io: CommandIo
  /** Resolves with the signal's name when the process is asked to stop. */
  readonly stopped: Promise<string>
  /** Called once the run is ending (done or stopping), before its socket closes. */
  readonly onEnding: () => void
}

/**
 * Shows the run's progress until every unit is final or a stop signal. A
 * signal pauses the run (it stays unfinished, work in progress keeps its
 * deadlines) so that the next `faust run` resumes it. Resolves with the
 * signal that paused it, or `undefined` when it finished.
 */
export async function followRun(options: FollowRunOptions): Promise<string | undefined> {
  const { run, io } = options
  // Registered before anything else can wait on `done`, so it runs before the
  // run's own shutdown closes its socket.
  void run.done.then(options.onEnding)
  const display = createProgressDisplay({ stdout: io.stdout, others: [io.stderr] })
  const unsubscribe = run.onProgress((progress) => {
    display.update(progress)
  })
  try {
    display.update(await run.progress())
    const signal = await Promise.race([run.done.then(() => undefined), options.stopped])
    if (signal !== undefined) {
      options.onEnding()
      io.stderr.write(
        `faust run: ${signal}: pausing; the next faust run of this task resumes it (${signal} again quits at once)\n`,
      )
      display.update(await run.pause())
      return signal
    }
    display.update(await run.stop())
    return signal
  } finally {
    unsubscribe()
    display.close()
  }
}
