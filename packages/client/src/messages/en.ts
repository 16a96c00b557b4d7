import { FailureReason } from '@faust/protocol/constants'

// The reference's texts to the character where `mephisto-task` has one (the
// trailing space of the disconnect text and the double space of the expired
// text are on purpose): pages written for it keep showing what they showed.
const DISCONNECTED_TEXT =
  'You have disconnected from our server during the duration of the task. ' +
  'If you have done substantial work, please reach out to see if we can recover it. '

/**
 * English, the complete catalogue: every string the client library and the
 * ready-made screens show a worker. Other languages may leave keys out; they
 * fall back to these. `{name}` is replaced by the parameter `name`.
 */
export const en = {
  // ---- the ready-made screens (@faust/react/status-screen)
  'screen.loading.title': 'Loading the task…',
  'screen.preview.title': 'Preview',
  'screen.preview.text': 'This is a preview of the task. Accept it to start working.',
  'screen.saving.title': 'Saving your answers…',
  'screen.saving.retrying':
    'Still trying (attempt {attempt}). Keep this page open: your answers are kept in this browser and will be sent when the server is back.',
  'screen.submitted.title': 'Saved: thank you!',
  'screen.submitted.text': 'Your answers are saved. You can close this page.',
  'screen.submittedBefore.title': 'You have already submitted this task',
  'screen.submittedBefore.text':
    'Your answers are saved; there is nothing more to do. You can close this page.',
  'screen.answer.caption': 'Your answers',
  'screen.failed.title': 'Your answers are not saved yet',
  'screen.failed.text': '{error} They are kept in this browser.',
  'screen.failed.unconfirmed': 'The server did not confirm them.',
  'screen.failed.button': 'Try again',
  'screen.error.title': 'The task could not be loaded',
  'screen.error.button': 'Retry',
  'screen.blocked.title': 'You cannot work on this task right now',

  // ---- blocked reasons of the page (`blockedReason`): title and text
  'blocked.no_mobile.title': 'Not available on phones and tablets',
  'blocked.no_mobile.text':
    'Sorry, this task cannot be completed on mobile devices. Please use a computer.',
  'blocked.no_websockets.title': 'Your browser is not supported',
  'blocked.no_websockets.text':
    'Sorry, your browser does not support the required version of websockets for this task. Please upgrade to a modern browser.',
  'blocked.already_submitted.text':
    'This task was already submitted with different answers; the first submission was kept.',
  'blocked.agent_unknown.title': 'Your answers could not be saved',
  'blocked.agent_unknown.text':
    'Sorry, the server no longer knows this task assignment, so your answers could not be saved. Please return the task.',
  'blocked.submission_refused.title': 'Your answers could not be saved',
  'blocked.submission_refused.text':
    'Sorry, the server refused your answers, so they could not be saved. Please contact the requester.',
  'blocked.unknown.text': 'Sorry, you are not able to work on this task. (code: {code})',
  'blocked.submittedBefore.text': 'You have already submitted this task; your answers are saved.',

  // ---- final agent statuses (`mephisto-task`'s STATUS_TO_TEXT_MAP): title and text
  'blocked.expired.title': 'This task has ended',
  'blocked.expired.text':
    'This task is no longer available to be completed. ' +
    ' Please return it and try a different task',
  'blocked.timeout.title': 'This task has ended',
  'blocked.timeout.text':
    'You took to long to respond to this task, and have timed out. ' +
    'The task is no longer available, please return it.',
  'blocked.disconnect.title': 'This task has ended',
  'blocked.disconnect.text': DISCONNECTED_TEXT,
  'blocked.returned.title': 'This task has ended',
  'blocked.returned.text': DISCONNECTED_TEXT,
  'blocked.partner disconnect.title': 'Your partner has left',
  'blocked.partner disconnect.text':
    "One of your partners has disconnected while working on this task. We won't penalize " +
    'you for them leaving, so please submit this task as is.',
  'blocked.mephisto disconnect.title': 'The task’s server has stopped',
  'blocked.mephisto disconnect.text':
    'Our server appears to have gone down during the ' +
    "duration of this Task. Please send us a message if you've done " +
    'substantial work and we can find out if the task is complete enough to ' +
    'compensate.',

  // ---- the backend's refusals (`failure_reason`, FailureReason): title and text
  'refusal.NOT_QUALIFIED.title': 'This task is not available to you',
  'refusal.NOT_QUALIFIED.text': FailureReason.NOT_QUALIFIED,
  'refusal.NO_AVAILABLE_UNITS.title': 'No work is available right now',
  'refusal.NO_AVAILABLE_UNITS.text': FailureReason.NO_AVAILABLE_UNITS,
  'refusal.TASK_MISSING.title': 'This task is no longer open to you',
  'refusal.TASK_MISSING.text': FailureReason.TASK_MISSING,
  'refusal.TOO_MANY_CONCURRENT.title': 'Please finish your current work first',
  'refusal.TOO_MANY_CONCURRENT.text': FailureReason.TOO_MANY_CONCURRENT,
  'refusal.MAX_FOR_TASK.title': 'You have done all the work this task allows',
  'refusal.MAX_FOR_TASK.text': FailureReason.MAX_FOR_TASK,
  'refusal.REGISTRATION_TAKEN.title': 'This link belongs to another worker',
  'refusal.REGISTRATION_TAKEN.text': FailureReason.REGISTRATION_TAKEN,
  'refusal.ONBOARDING_FAILED.title': 'You did not pass the qualification test',
  'refusal.ONBOARDING_FAILED.text': FailureReason.ONBOARDING_FAILED,
  'refusal.BLOCKED.title': 'This task is not available to you',
  'refusal.BLOCKED.text': FailureReason.BLOCKED,
  'refusal.NO_UNITS_LEFT.title': 'All of the work is done',
  'refusal.NO_UNITS_LEFT.text': FailureReason.NO_UNITS_LEFT,
  'refusal.RUN_PAUSED.title': 'This task is paused for now',
  'refusal.RUN_PAUSED.text': FailureReason.RUN_PAUSED,
  'refusal.RUN_ENDED.title': 'This task has ended',
  'refusal.RUN_ENDED.text': FailureReason.RUN_ENDED,

  // ---- the live connection's end (`disconnectIssueText`)
  'live.closed': 'The live connection was closed.',
  'live.rejected': "The server refused this page's connection (close code {code}).",
  'live.replaced': 'This task is open in another tab or window; continue there.',
} as const

/** A key of the worker-facing catalogue. */
export type MessageKey = keyof typeof en
