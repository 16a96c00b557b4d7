import type { TaskDefinition } from '../../definition/define-task.js'
import type { RunSettings } from '../../store/run-control-repository.js'

export type { RunSettings }

/** A task's own settings: what a run starts with until they are changed. */
export function taskRunSettings(task: TaskDefinition): RunSettings {
  return {
    maxConcurrentUnits: task.maxConcurrentUnits,
    maximumUnitsPerWorker: task.maximumUnitsPerWorker,
    allowedConcurrent: task.allowedConcurrent,
    assignmentDurationSeconds: task.assignmentDurationSeconds,
    launching: 'open',
  }
}

/**
 * The settings a live run reads (the launcher, eligibility, the runners'
 * deadlines) instead of its task's: an operator changes them while it runs
 * (docs/console.md, "Changing a live run"). Readers read `current` each
 * time, never keep a copy, so a change applies at once.
 */
export class LiveRunSettings {
  #current: RunSettings

  constructor(initial: RunSettings) {
    this.#current = initial
  }

  /** A task's own settings, for a run nobody changed (and for tests). */
  static of(task: TaskDefinition): LiveRunSettings {
    return new LiveRunSettings(taskRunSettings(task))
  }

  get current(): RunSettings {
    return this.#current
  }

  get paused(): boolean {
    return this.#current.launching === 'paused'
  }

  replace(next: RunSettings): void {
    this.#current = next
  }
}
