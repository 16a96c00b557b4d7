import type {
  ReviewAction,
  ReviewOutcome,
  RunChange,
  RunChangeResult,
  RunSettingName,
  RunSettings as BackendRunSettings,
} from '@faust/backend'

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

/** The live-tunable limits of a run, without its launching state (which the runs list shows apart). */
export type RunSettings = Omit<BackendRunSettings, 'launching'>

export type { RunChange, RunChangeResult, RunSettingName }

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
