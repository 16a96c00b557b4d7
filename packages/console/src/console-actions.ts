import type {
  ReviewAction,
  ReviewOutcome,
  RunChange,
  RunChangeResult,
  RunSettingName,
  RunSettings as BackendRunSettings,
  WorkerActionResult,
} from '@faust/backend'

// The operator actions the console calls (docs/console.md). The console
// server validates a request and hands it to these; it writes nothing
// itself. The implementation records its own audit entries with actor
// `console`: the backend's createOperatorActions, in `faust console`,
// `faust run` and the tests alike. The server takes only the methods it
// calls, so it stays free of the platforms and credentials behind them.

/** The live-tunable limits of a run, without its launching state (which the runs list shows apart). */
export type RunSettings = Omit<BackendRunSettings, 'launching'>

export type { RunChange, RunChangeResult, RunSettingName, WorkerActionResult }

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
