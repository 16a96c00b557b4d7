import type { Logger } from 'pino'

/** Exit code after an uncaught exception (EX_SOFTWARE: an internal software error). */
export const FATAL_EXIT_CODE = 70

/** How long the orderly stop after a fatal error may take before the process exits anyway. */
const STOP_TIMEOUT_MS = 5000

/** What {@link installSafetyNet} returns. */
export interface SafetyNet {
  /** Runs `cleanup` (router, store, …) on a fatal error, newest first; returns an unregister. */
  onFatal(cleanup: () => Promise<void>): () => void
  /** Removes the process handlers. */
  dispose(): void
}

/**
 * The last line of defence of `faust run` and `faust router`, for bugs the
 * code did not foresee (each known crash has its own fix; this must never be
 * what keeps one from ending the process). A stray promise rejection is
 * logged with its context and the process carries on: one lost task is not
 * worth every worker's. An uncaught exception leaves the process in an
 * unknown state, so it is logged as fatal, the registered cleanups stop the
 * router and close the store, and the process exits with
 * {@link FATAL_EXIT_CODE}.
 */
export function installSafetyNet(options: {
  readonly logger: Logger
  /** Logged with every report, e.g. `{ command: 'run' }`. */
  readonly context: Record<string, unknown>
  /** @default process.exit */
  readonly exit?: (code: number) => void
}): SafetyNet {
  const { logger, context } = options
  const exit = options.exit ?? ((code: number) => process.exit(code))
  const cleanups: (() => Promise<void>)[] = []
  let fatal = false

  const onRejection = (reason: unknown): void => {
    logger.error({ ...context, err: reason }, 'unhandled promise rejection; carrying on')
  }
  const onException = (error: Error, origin: string): void => {
    logger.fatal({ ...context, err: error, origin }, 'uncaught exception; stopping')
    if (fatal) return
    fatal = true
    void stopThenExit([...cleanups].reverse(), logger).finally(() => {
      exit(FATAL_EXIT_CODE)
    })
  }
  process.on('unhandledRejection', onRejection)
  process.on('uncaughtException', onException)
  return {
    onFatal(cleanup) {
      cleanups.push(cleanup)
      return () => {
        const index = cleanups.indexOf(cleanup)
        if (index !== -1) cleanups.splice(index, 1)
      }
    },
    dispose() {
      process.off('unhandledRejection', onRejection)
      process.off('uncaughtException', onException)
    },
  }
}

async function stopThenExit(
  cleanups: readonly (() => Promise<void>)[],
  logger: Logger,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      logger.error({}, `the orderly stop took over ${String(STOP_TIMEOUT_MS)} ms; exiting`)
      resolve()
    }, STOP_TIMEOUT_MS)
    timer.unref()
  })
  const stop = (async () => {
    for (const cleanup of cleanups) {
      try {
        await cleanup()
      } catch (error) {
        logger.error({ err: error }, 'a cleanup failed during the orderly stop')
      }
    }
  })()
  await Promise.race([stop, timeout])
  clearTimeout(timer)
}
