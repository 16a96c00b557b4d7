import { describe, expect, it } from 'vitest'
import { AGENT_STATUS, STATUS_TO_TEXT_MAP } from './agent-status.js'

describe("mephisto-task's status constants", () => {
  it('has the reference keys and values', () => {
    expect(AGENT_STATUS).toEqual({
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
    })
  })

  it('has the exact texts, trailing and double spaces included', () => {
    const disconnect =
      'You have disconnected from our server during the duration of the task. If you have done substantial work, please reach out to see if we can recover it. '
    expect(STATUS_TO_TEXT_MAP).toEqual({
      expired:
        'This task is no longer available to be completed.  Please return it and try a different task',
      timeout:
        'You took to long to respond to this task, and have timed out. The task is no longer available, please return it.',
      disconnect,
      returned: disconnect,
      'partner disconnect':
        "One of your partners has disconnected while working on this task. We won't penalize you for them leaving, so please submit this task as is.",
      'mephisto disconnect':
        "Our server appears to have gone down during the duration of this Task. Please send us a message if you've done substantial work and we can find out if the task is complete enough to compensate.",
    })
  })
})
