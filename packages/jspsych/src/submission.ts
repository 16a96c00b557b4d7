import type { TrialData, TrialDataMode } from './options.js'

/** Marks the submissions this package writes; bumped if their shape changes. */
export const SUBMISSION_FORMAT = 'faust-jspsych/1'

/** The unit's submission (`final_data`) and the onboarding answers: see docs/jspsych.md. */
export interface FaustJsPsychSubmission {
  readonly format: typeof SUBMISSION_FORMAT
  /** `jsPsych.data.get().values()`: every trial, in order. */
  readonly trials: readonly TrialData[]
  /** `jsPsych.data.getInteractionData().values()`: blur, focus, fullscreen changes. */
  readonly interactions: readonly TrialData[]
  /** How the trials also reached the backend. */
  readonly trial_data: TrialDataMode
  /** This page load's run of the timeline; the live updates carry the same id. */
  readonly run_id: string
  /** Epoch milliseconds of the timeline's start and end, on the worker's clock. */
  readonly started_at: number
  readonly finished_at: number
}

/** A finished trial as one live update. */
export interface TrialUpdate {
  readonly faust_jspsych: 'trial'
  readonly run_id: string
  /** The trial's position in this run (0-based), as in `trials`. */
  readonly index: number
  readonly trial: TrialData
  /** Fixed per trial, so a resent update is recognised as the same one. */
  readonly update_id: string
}

export interface RunFacts {
  readonly mode: TrialDataMode
  readonly runId: string
  readonly startedAt: number
}

/** The submission of a finished timeline. */
export function submissionOf(
  collected: { readonly trials: readonly TrialData[]; readonly interactions: readonly TrialData[] },
  run: RunFacts,
  finishedAt: number,
): FaustJsPsychSubmission {
  return {
    format: SUBMISSION_FORMAT,
    // Copies: jsPsych keeps mutating its own collection.
    trials: collected.trials.map((trial) => ({ ...trial })),
    interactions: collected.interactions.map((event) => ({ ...event })),
    trial_data: run.mode,
    run_id: run.runId,
    started_at: run.startedAt,
    finished_at: finishedAt,
  }
}

export function trialUpdateOf(trial: TrialData, runId: string, index: number): TrialUpdate {
  return {
    faust_jspsych: 'trial',
    run_id: runId,
    index,
    trial: { ...trial },
    update_id: `${runId}:${String(index)}`,
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The unit's data item and the trials sent live before a reload. A concurrent
 * task (what `'live-updates'` needs) wraps the item as
 * `{ task_data, past_live_updates }`; a static task sends the item itself.
 */
export function unitDataOf(
  initialTaskData: unknown,
  mode: TrialDataMode,
): { readonly item: unknown; readonly previousTrials: TrialData[] } {
  const past: unknown = isRecord(initialTaskData) ? initialTaskData['past_live_updates'] : undefined
  if (mode !== 'live-updates' || !isRecord(initialTaskData) || !Array.isArray(past)) {
    return { item: initialTaskData, previousTrials: [] }
  }
  const previousTrials = past
    .filter(
      (update): update is TrialUpdate =>
        isRecord(update) && update['faust_jspsych'] === 'trial' && isRecord(update['trial']),
    )
    .map((update) => update.trial)
  return { item: initialTaskData['task_data'], previousTrials }
}
