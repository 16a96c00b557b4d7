/** The signals that ask `faust` to stop. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const

/** Exit code of a process ended by a second Ctrl-C (128 + SIGINT). */
export const FORCED_EXIT_CODE = 130

/**
 * Resolves with the first SIGINT or SIGTERM. From then on a second one ends
 * the process at once with {@link FORCED_EXIT_CODE}: a shutdown that hangs
 * (a remote router that never answers) can always be cut short.
 */
export function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: string): void => {
      for (const name of STOP_SIGNALS) process.off(name, onSignal)
      for (const name of STOP_SIGNALS) process.once(name, forceExit)
      resolve(signal)
    }
    for (const name of STOP_SIGNALS) process.on(name, onSignal)
  })
}

function forceExit(signal: string): void {
  process.stderr.write(`\nfaust: ${signal} again, exiting now\n`)
  process.exit(FORCED_EXIT_CODE)
}
