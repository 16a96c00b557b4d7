import type { RunProgress, TaskRunHandle } from '@faust/backend'
import { within } from '../deferred.js'

/**
 * Resolves with the first value `probe` finds, probing now and after every
 * progress report of `run` (each change of a unit or an onboarding), so a test
 * waits on what the backend stored, never on time. Rejects after `waitMs`.
 */
export async function untilStored<TValue>(
  run: TaskRunHandle,
  probe: () => Promise<TValue | null | undefined>,
  wait: { readonly ms: number; readonly what: string },
): Promise<TValue> {
  let stop: () => void = () => undefined
  const found = new Promise<TValue>((resolve, reject) => {
    let settled = false
    const check = (): void => {
      probe().then(
        (value) => {
          if (settled || value === null || value === undefined) return
          settled = true
          resolve(value)
        },
        (error: unknown) => {
          settled = true
          reject(error instanceof Error ? error : new Error(String(error)))
        },
      )
    }
    // Subscribed before the first probe: a change between the two is not missed.
    stop = run.onProgress(check)
    check()
  })
  try {
    return await within(found, wait.ms, wait.what)
  } finally {
    stop()
  }
}

/**
 * The run's progress once it satisfies `predicate`: the current progress, or
 * the first report after it that does. Rejects after `wait.ms`.
 */
export async function progressWhere(
  run: TaskRunHandle,
  predicate: (progress: RunProgress) => boolean,
  wait: { readonly ms: number; readonly what: string },
): Promise<RunProgress> {
  let stop: () => void = () => undefined
  const reached = new Promise<RunProgress>((resolve, reject) => {
    const check = (progress: RunProgress): void => {
      if (predicate(progress)) resolve(progress)
    }
    stop = run.onProgress(check)
    run.progress().then(check, reject)
  })
  try {
    return await within(reached, wait.ms, wait.what)
  } finally {
    stop()
  }
}
