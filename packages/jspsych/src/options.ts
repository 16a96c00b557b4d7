import type { TaskClient } from '@faust/client'
import type { ElementLike } from './dom.js'

/** One trial's data as jsPsych records it (`trial_type`, `rt`, `response`, …). */
export type TrialData = Readonly<Record<string, unknown>>

/**
 * The few members of a jsPsych 8 instance the adapter uses, typed
 * structurally so that the page's own `jspsych` (a peer dependency) is never
 * bundled twice and its types are not required.
 */
export interface JsPsychLike<Timeline = unknown[]> {
  /** `Timeline` is jsPsych's own timeline type, so trials are checked against it. */
  run(timeline: Timeline): Promise<void>
  getDisplayElement(): ElementLike
  /** Ends the timeline after the current trial, which it ends at once. */
  abortExperiment(endMessage?: string, data?: Record<string, unknown>): void
  readonly data: {
    get(): { values(): TrialData[] }
    getInteractionData(): { values(): TrialData[] }
  }
}

/** How trial data reaches the backend: see docs/jspsych.md. */
export type TrialDataMode = 'live-updates' | 'final'

/** What the timeline function gets besides the unit's data item. */
export interface TimelineContext {
  /** The agent the page works as. */
  readonly agentId: string
  /**
   * `'live-updates'` only: trials this unit already sent live before a
   * reload (oldest first), so a timeline may skip what was done. Empty otherwise.
   */
  readonly previousTrials: readonly TrialData[]
}

/** Options of {@link runFaustTimeline}. */
export interface FaustTimelineOptions<Item = unknown, Timeline = unknown[]> {
  /** The page's `initJsPsych` (from `jspsych`). */
  readonly initJsPsych: (options: Record<string, unknown>) => JsPsychLike<Timeline>
  /**
   * Passed to `initJsPsych`. `display_element` also receives the adapter's own
   * screens; `on_finish` and `on_data_update` are called as usual.
   */
  readonly jsPsychOptions?: Readonly<Record<string, unknown>>
  /** The unit's timeline, built from its data item (the unit's init data). */
  readonly timeline: (item: Item, context: TimelineContext) => Timeline
  /** A block run when the backend asks for onboarding; gets the onboarding data. */
  readonly onboarding?: (data: unknown) => Timeline
  /** @default 'final' */
  readonly trialData?: TrialDataMode
  /**
   * The client to use (options, or Node); by default
   * `createTaskClient({ live: trialData === 'live-updates' })`.
   */
  readonly client?: TaskClient
}

const MODES: readonly string[] = ['live-updates', 'final'] satisfies TrialDataMode[]

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * What is wrong with `options` (a page written in plain JavaScript gets no
 * compiler check), one sentence each; empty when they can run.
 */
export function optionProblems(options: unknown): string[] {
  if (!isPlainObject(options)) return ['runFaustTimeline needs an options object']
  const problems: string[] = []
  if (typeof options['initJsPsych'] !== 'function') {
    problems.push("initJsPsych must be jsPsych's initJsPsych function")
  }
  if (typeof options['timeline'] !== 'function') {
    problems.push('timeline must be a function of the data item that returns a timeline array')
  }
  const onboarding = options['onboarding']
  if (onboarding !== undefined && typeof onboarding !== 'function') {
    problems.push('onboarding must be a function that returns a timeline array, or left out')
  }
  const mode = options['trialData']
  if (mode !== undefined && (typeof mode !== 'string' || !MODES.includes(mode))) {
    problems.push(`trialData must be 'live-updates' or 'final', not ${JSON.stringify(mode)}`)
  }
  const jsPsychOptions = options['jsPsychOptions']
  if (jsPsychOptions !== undefined && !isPlainObject(jsPsychOptions)) {
    problems.push('jsPsychOptions must be an object of initJsPsych options, or left out')
  }
  return problems
}
