import { readRunSettings } from '@faust/backend'
import type { Store } from '@faust/backend/store'
import type { RunSettings } from '../console-actions.js'

/** A run's settings and whether it launches units. */
export interface RunControlState {
  readonly settings: RunSettings
  readonly launching: 'open' | 'paused'
}

/**
 * The run's current settings (@faust/backend's `readRunSettings`): as
 * changed live or stored, else the task's own, and whether it launches.
 */
export async function readRunControl(store: Store, taskRunId: string): Promise<RunControlState> {
  const { launching, ...settings } = await readRunSettings(store, taskRunId)
  return { settings, launching }
}
