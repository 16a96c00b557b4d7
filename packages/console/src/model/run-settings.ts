import type { Store } from '@faust/backend/store'
import type { RunSettings } from '../console-actions.js'

/** A run's settings and whether it launches units. */
export interface RunControlState {
  readonly settings: RunSettings
  readonly launching: 'open' | 'paused'
}

function numberIn(config: Record<string, unknown>, key: string): number {
  const value = config[key]
  return typeof value === 'number' ? value : 0
}

/**
 * The run's current settings. Until the "control" helper's `readRunSettings`
 * (@faust/backend) is merged, these are the settings the run was created
 * with (its stored config), and launching is always `open`; this function is
 * the one place to swap.
 */
export async function readRunControl(store: Store, taskRunId: string): Promise<RunControlState> {
  const run = await store.taskRuns.get(taskRunId)
  const config =
    run !== null && typeof run.config === 'object' && run.config !== null
      ? (run.config as Record<string, unknown>)
      : {}
  return {
    settings: {
      maxConcurrentUnits: numberIn(config, 'maxConcurrentUnits'),
      maximumUnitsPerWorker: numberIn(config, 'maximumUnitsPerWorker'),
      allowedConcurrent: numberIn(config, 'allowedConcurrent'),
      assignmentDurationSeconds: numberIn(config, 'assignmentDurationSeconds'),
    },
    launching: 'open',
  }
}
