import type { ClientMessages, TaskClient } from '@faust/client'
import type { ElementLike } from './dom.js'
import type { FaustTimelineOptions, TrialDataMode } from './options.js'
import { showScreen, type Screen } from './screens.js'
import type { FaustJsPsychSubmission } from './submission.js'

/** Where a run of `runFaustTimeline` failed. */
export type FailedStage = 'options' | 'load' | 'onboarding' | 'timeline' | 'submit'

/**
 * How `runFaustTimeline` ended; the page already shows the matching
 * screen, so a page needs the result only to do more (log, redirect).
 */
export type FaustTimelineResult =
  | { readonly status: 'submitted'; readonly submission: FaustJsPsychSubmission }
  | { readonly status: 'already-submitted' }
  | { readonly status: 'preview' }
  | { readonly status: 'blocked'; readonly reason: string | null; readonly text: string }
  | {
      readonly status: 'ended'
      readonly agentStatus: string
      readonly stage: 'timeline'
      readonly text: string
    }
  | { readonly status: 'error'; readonly stage: FailedStage; readonly error: Error }

/** Everything one run shares. */
export interface Run<Item, Timeline> {
  readonly options: FaustTimelineOptions<Item, Timeline>
  readonly client: TaskClient
  readonly mode: TrialDataMode
  readonly jsPsychOptions: Readonly<Record<string, unknown>>
  /** Where screens go: `display_element`, then jsPsych's content element once it ran. */
  element: ElementLike
}

/** A failure of one stage, carried to the single place that shows and reports it. */
export class StageError extends Error {
  readonly stage: FailedStage
  constructor(stage: FailedStage, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause })
    this.name = 'StageError'
    this.stage = stage
  }
}

export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value))
}

/** Runs `work`; a throw becomes a {@link StageError} of `stage`. */
export async function stage<T>(name: FailedStage, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw error instanceof StageError ? error : new StageError(name, error)
  }
}

/** Shows `screen`; a page whose element is gone still gets its result. */
export function tryToShow(element: ElementLike, screen: Screen, messages: ClientMessages): void {
  try {
    showScreen(element, screen, messages)
  } catch {
    // Nothing to show it in: the returned result still says what happened.
  }
}

/**
 * Sends the error to the backend's error log (`log_error`): a plugin that
 * throws, or a page without the onboarding block the task asks for, is the
 * researcher's to fix, and otherwise only the worker's browser would know.
 */
export function reportError(client: TaskClient, stageName: FailedStage, error: Error): void {
  const report = {
    faust_jspsych: 'error',
    stage: stageName,
    name: error.name,
    message: error.message,
    stack: error.stack ?? null,
  }
  // The worker's screen and the result do not depend on the report arriving.
  client.logError(report).catch(() => null)
}
