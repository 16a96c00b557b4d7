/**
 * Why a worker cannot work on the task: `null_agent_id` (the backend refused,
 * see `blockedExplanation`), `no_mobile`, `no_websockets`,
 * `already_submitted` (the router refused a second submission with other
 * data, 409), `agent_unknown` (the submission's agent is not known, 403),
 * `submission_refused` (another final refusal of a submission), a final agent
 * status the registration answered (`expired`, `timeout`, …), or another code.
 */
export type BlockedReason =
  | 'null_agent_id'
  | 'no_mobile'
  | 'no_websockets'
  | 'already_submitted'
  | 'agent_unknown'
  | 'submission_refused'
  | (string & {})

const EXPLANATIONS: Readonly<Record<string, string>> = {
  no_mobile: 'Sorry, this task cannot be completed on mobile devices. Please use a computer.',
  no_websockets:
    'Sorry, your browser does not support the required version of websockets for this task. Please upgrade to a modern browser.',
  already_submitted:
    'This task was already submitted with different answers; the first submission was kept.',
  agent_unknown:
    'Sorry, the server no longer knows this task assignment, so your answers could not be saved. Please return the task.',
  submission_refused:
    'Sorry, the server refused your answers, so they could not be saved. Please contact the requester.',
}

/** `mephisto-task`'s text for a client-side blocked reason. */
export function getBlockedExplanation(reason: BlockedReason): string {
  // hasOwn: a reason such as `constructor` must not find Object.prototype's.
  return Object.hasOwn(EXPLANATIONS, reason)
    ? (EXPLANATIONS[reason] as string)
    : `Sorry, you are not able to work on this task. (code: ${reason})`
}

/** Whether a user agent string is a phone or tablet, by `mephisto-task`'s pattern. */
export function isMobileUserAgent(userAgent: string): boolean {
  return /Android|webOS|iPhone|iPad|iPod|BlackBerry|IEMobile|Opera Mini/i.test(userAgent)
}
