import type { RunProgress, TaskRunHandle } from '@faust/backend'
import { within } from '@faust/testing'
import { PAGE_WAIT_MS } from './browser.js'

/** The first progress report (the current one included) that satisfies `predicate`. */
export function progressWhere(
  run: TaskRunHandle,
  predicate: (progress: RunProgress) => boolean,
): Promise<RunProgress> {
  return within(
    new Promise<RunProgress>((resolve) => {
      const check = (progress: RunProgress): void => {
        if (predicate(progress)) {
          off()
          resolve(progress)
        }
      }
      const off = run.onProgress(check)
      void run.progress().then(check)
    }),
    PAGE_WAIT_MS,
    'run progress',
  )
}
