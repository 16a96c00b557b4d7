/**
 * The exact `failure_reason` texts of `agent_details` (reference
 * `mephisto/operations/datatypes.py`). Pages show them verbatim.
 */
export const FailureReason = {
  NOT_QUALIFIED: 'You are not currently qualified to work on this task...',
  NO_AVAILABLE_UNITS: 'There is currently no available work, please try again later...',
  TASK_MISSING:
    'You appear to have already completed this task, or have disconnected long enough for your session to clear...',
  TOO_MANY_CONCURRENT:
    'You are currently working on too many tasks concurrently to accept another, please finish your current work.',
  MAX_FOR_TASK:
    'You have already completed the maximum amount of tasks the requester has set for this task.',
  // Faust's own (not in the reference): the registration id (for the mock
  // provider `<assignment>-<worker>`, visible in a link) names an agent of
  // another worker, so a copied link cannot take over someone's work.
  REGISTRATION_TAKEN:
    'This task link is already in use by another worker, so it cannot be opened as you. Please use your own link.',
  // Faust's own finer reasons (docs/protocol.md): each says whether waiting
  // helps. A page that knows only the reference's texts shows them verbatim.
  ONBOARDING_FAILED:
    'You did not pass the qualification test for this task, so it is not available to you. Thank you for trying.',
  BLOCKED:
    'This requester is not offering this task to your account, so it is not available to you.',
  NO_UNITS_LEFT:
    'All of the work in this task has been done, so there is none left to start. Thank you for your interest.',
  RUN_PAUSED: 'The requester has paused this task for the moment. Please try again a little later.',
  RUN_ENDED: 'This task has ended, so no new work can be started. Thank you for your interest.',
} as const

/** One of the {@link FailureReason} texts. */
export type FailureReason = (typeof FailureReason)[keyof typeof FailureReason]
