import { createMessages, type ClientMessages } from './messages/index.js'

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

/** The text for a client-side blocked reason (`mephisto-task`'s in English), in the catalogue's language. */
export function getBlockedExplanation(
  reason: BlockedReason,
  messages: ClientMessages = createMessages(),
): string {
  const key = `blocked.${reason}.text`
  return messages.has(key)
    ? messages.text(key)
    : messages.text('blocked.unknown.text', { code: reason })
}

/** Whether a user agent string is a phone or tablet, by `mephisto-task`'s pattern. */
export function isMobileUserAgent(userAgent: string): boolean {
  return /Android|webOS|iPhone|iPad|iPod|BlackBerry|IEMobile|Opera Mini/i.test(userAgent)
}
