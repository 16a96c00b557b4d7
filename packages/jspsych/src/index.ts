// @faust/jspsych: run a jsPsych 8 timeline as a Faust unit (docs/jspsych.md).
// The page brings its own jsPsych (a peer dependency); this adds registration,
// onboarding, trial data to the backend and a submission that is never lost.

export { runFaustTimeline } from './run-faust-timeline.js'
export type { FailedStage, FaustTimelineResult } from './run-faust-timeline.js'
export { optionProblems } from './options.js'
export type {
  FaustTimelineOptions,
  JsPsychLike,
  TimelineContext,
  TrialData,
  TrialDataMode,
} from './options.js'
export { SUBMISSION_FORMAT, submissionOf, trialUpdateOf, unitDataOf } from './submission.js'
export type { FaustJsPsychSubmission, RunFacts, TrialUpdate } from './submission.js'
export type { DocumentLike, ElementLike } from './dom.js'
