import { FINAL_AGENT_STATUSES } from '@faust/protocol/constants'

/**
 * `mephisto-task`'s agent status names, same keys and values (`live.js`):
 * `DONE` is never sent by a backend, and `completed`, `accepted`, `approved`,
 * `rejected`, `soft_rejected` have no key but are delivered as they are.
 */
export const AGENT_STATUS = {
  NONE: 'none',
  ONBOARDING: 'onboarding',
  WAITING: 'waiting',
  IN_TASK: 'in task',
  DONE: 'done',
  DISCONNECT: 'disconnect',
  TIMEOUT: 'timeout',
  PARTNER_DISCONNECT: 'partner disconnect',
  EXPIRED: 'expired',
  RETURNED: 'returned',
  MEPHISTO_DISCONNECT: 'mephisto disconnect',
} as const

// The reference's texts to the character: the trailing space of the
// disconnect text and the double space of the expired text are on purpose.
const DISCONNECTED_TEXT =
  'You have disconnected from our server during the duration of the task. ' +
  'If you have done substantial work, please reach out to see if we can recover it. '

/** What to tell the worker for each terminal status, exactly `mephisto-task`'s texts. */
export const STATUS_TO_TEXT_MAP: Readonly<Record<string, string>> = {
  [AGENT_STATUS.EXPIRED]:
    'This task is no longer available to be completed. ' +
    ' Please return it and try a different task',
  [AGENT_STATUS.TIMEOUT]:
    'You took to long to respond to this task, and have timed out. ' +
    'The task is no longer available, please return it.',
  [AGENT_STATUS.DISCONNECT]: DISCONNECTED_TEXT,
  [AGENT_STATUS.RETURNED]: DISCONNECTED_TEXT,
  [AGENT_STATUS.PARTNER_DISCONNECT]:
    "One of your partners has disconnected while working on this task. We won't penalize " +
    'you for them leaving, so please submit this task as is.',
  [AGENT_STATUS.MEPHISTO_DISCONNECT]:
    'Our server appears to have gone down during the ' +
    "duration of this Task. Please send us a message if you've done " +
    'substantial work and we can find out if the task is complete enough to ' +
    'compensate.',
}

/**
 * Statuses after which the page never hears of another for the same agent:
 * the backend's final set plus the client's own `mephisto disconnect`.
 */
export const ENDING_STATUSES: ReadonlySet<string> = new Set<string>([
  ...FINAL_AGENT_STATUSES,
  AGENT_STATUS.MEPHISTO_DISCONNECT,
])

/** Statuses that end remote procedures with a text, as `useMephistoRemoteProcedureTask` does. */
export const ISSUE_STATUSES: ReadonlySet<string> = new Set<string>([
  AGENT_STATUS.DISCONNECT,
  AGENT_STATUS.RETURNED,
  AGENT_STATUS.EXPIRED,
  AGENT_STATUS.TIMEOUT,
  AGENT_STATUS.MEPHISTO_DISCONNECT,
])
