import type { RunProgress } from '@faust/backend'

/** One line for a run's progress, e.g. `units 5 · waiting 0 · offered 3 · in progress 1 · completed 1 · expired 0 · workers 1`. */
export function formatProgress(progress: RunProgress): string {
  return [
    `units ${String(progress.total)}`,
    `waiting ${String(progress.waiting)}`,
    `offered ${String(progress.launched)}`,
    `in progress ${String(progress.inProgress)}`,
    `completed ${String(progress.completed)}`,
    `expired ${String(progress.expired)}`,
    `workers ${String(progress.activeWorkers)}`,
  ].join(' · ')
}
