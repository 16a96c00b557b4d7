import type { ReviewAction, ReviewOutcome } from '@faust/backend'

// The operator actions the console calls (docs/console.md). The console
// server validates a request and hands it to these; it writes nothing
// itself. Every implementation records its own audit entries with actor
// `console`: the CLI's operator-actions door in `faust console` and
// `faust run`, the test suites' store-backed one here.

/** What a block, unblock or qualification did. */
export interface WorkerActionResult {
  readonly result: 'done' | 'already_done' | 'failed'
  /** A stable code when `failed`. */
  readonly error?: string
  /** Whether the worker's platform was told too (`none`: the mock provider's worker). */
  readonly platform?: 'mirrored' | 'not_mirrored' | 'none'
}

/** The live-tunable settings of a run (the "control" helper's `RunSettings` in @faust/backend). */
export interface RunSettings {
  readonly maxConcurrentUnits: number
  readonly maximumUnitsPerWorker: number
  readonly allowedConcurrent: number
  readonly assignmentDurationSeconds: number
}

/** The settings a {@link RunChange} of kind `set` may change. */
export type RunSettingName = keyof RunSettings

/**
 * A change to a live run, as @faust/backend's `RunChange` (design of issue
 * 14); declared here until that lands, then re-exported from the backend.
 */
export type RunChange =
  | { readonly kind: 'pause' }
  | { readonly kind: 'resume' }
  | { readonly kind: 'set'; readonly setting: RunSettingName; readonly value: number }
  | { readonly kind: 'add_items'; readonly items: readonly unknown[] }
  | { readonly kind: 'expire_units'; readonly units: readonly string[] | 'unassigned' }
  | { readonly kind: 'end' }

/** What a run change did (@faust/backend's `RunChangeResult`). */
export interface RunChangeResult {
  readonly applied: 'live' | 'stored'
  readonly settings: RunSettings
  readonly detail?: Record<string, unknown>
}

/** Everything the console can change, injected into {@link createConsoleServer}. */
export interface ConsoleActions {
  review(input: {
    readonly taskName: string
    readonly action: ReviewAction
  }): Promise<readonly ReviewOutcome[]>
  blockWorker(input: {
    readonly workerId: string
    readonly reason?: string | undefined
  }): Promise<WorkerActionResult>
  unblockWorker(input: { readonly workerId: string }): Promise<WorkerActionResult>
  qualifyWorker(input: {
    readonly workerId: string
    readonly qualification: string
    readonly value: number
  }): Promise<WorkerActionResult>
  changeRun(input: {
    readonly taskRunId: string
    readonly change: RunChange
  }): Promise<RunChangeResult>
}
