import { FINAL_AGENT_STATUSES } from '@faust/protocol/constants'
import { en } from './messages/en.js'

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

/** What to tell the worker for each terminal status, exactly `mephisto-task`'s texts (the English catalogue's). */
export const STATUS_TO_TEXT_MAP: Readonly<Record<string, string>> = Object.fromEntries(
  [
    AGENT_STATUS.EXPIRED,
    AGENT_STATUS.TIMEOUT,
    AGENT_STATUS.DISCONNECT,
    AGENT_STATUS.RETURNED,
    AGENT_STATUS.PARTNER_DISCONNECT,
    AGENT_STATUS.MEPHISTO_DISCONNECT,
  ].map((status) => [status, en[`blocked.${status}.text`]]),
)

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
