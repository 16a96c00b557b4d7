import { describe, expect, it } from 'vitest'
import { createMessages, type TaskState } from '@faust/client'
import {
  endedScreen,
  errorScreen,
  failedScreen,
  savingScreen,
  stateScreen,
  submittedScreen,
} from './screens.js'

const en = createMessages()
const es = createMessages({ locale: 'es' })

/** A registered state, changed by `change`. */
function stateWith(change: Partial<TaskState>): TaskState {
  return {
    status: 'ready',
    providerWorkerId: 'w1',
    assignmentId: 'a1',
    isPreview: false,
    taskConfig: {},
    mephistoWorkerId: 'worker-1',
    agentId: 'agent-1',
    mephistoAgentId: 'agent-1',
    isOnboarding: false,
    initialTaskData: {},
    blockedReason: null,
    blockedExplanation: null,
    loaded: true,
    error: null,
    ...change,
  }
}

describe('the screens', () => {
  it('none while the worker can work', () => {
    expect(stateScreen(stateWith({}), en)).toBeNull()
  })

  it("take the catalogue's texts, in the task's language", () => {
    expect(stateScreen(stateWith({ status: 'preview' }), es)).toMatchObject({
      state: 'preview',
      title: es.text('screen.preview.title'),
      text: es.text('screen.preview.text'),
    })
    expect(es.text('screen.preview.title')).not.toBe(en.text('screen.preview.title'))
    expect(stateScreen(stateWith({ status: 'submitted' }), en)).toMatchObject({
      state: 'submitted-before',
      title: en.text('screen.submittedBefore.title'),
    })
    expect(submittedScreen(en).title).toBe(en.text('screen.submitted.title'))
  })

  it("a refusal: its own title and the client's explanation, as an alert", () => {
    const refused = stateWith({
      status: 'blocked',
      blockedReason: 'null_agent_id',
      refusal: 'NO_UNITS_LEFT',
      blockedExplanation: en.text('refusal.NO_UNITS_LEFT.text'),
    })
    expect(stateScreen(refused, en)).toEqual({
      state: 'blocked',
      title: en.text('refusal.NO_UNITS_LEFT.title'),
      text: en.text('refusal.NO_UNITS_LEFT.text'),
      role: 'alert',
    })
  })

  it('saving names the attempt from the second try', () => {
    expect(savingScreen(en).text).toBe('')
    expect(savingScreen(en, 3).text).toBe(en.text('screen.saving.retrying', { attempt: 3 }))
    expect(savingScreen(en, 3).text).toContain('3')
  })

  it('errors offer a button only when something can be retried', () => {
    const error = new Error('The router did not answer.')
    expect(errorScreen(error, en)).toEqual({
      state: 'error',
      title: en.text('screen.error.title'),
      text: 'The router did not answer.',
      role: 'alert',
    })
    const retry = (): void => undefined
    expect(errorScreen(error, en, retry).button).toEqual({
      label: en.text('screen.error.button'),
      onClick: retry,
    })
    expect(failedScreen(error, en, retry)).toMatchObject({
      state: 'failed',
      text: en.text('screen.failed.text', { error: error.message }),
      button: { label: en.text('screen.failed.button') },
    })
  })

  it("a unit ended under the timeline: the catalogue's title and text for its status", () => {
    expect(endedScreen('expired', en)).toEqual({
      state: 'ended',
      title: en.text('blocked.expired.title'),
      text: en.text('blocked.expired.text'),
      role: 'alert',
    })
    expect(endedScreen('timeout', es)).toMatchObject({
      title: es.text('blocked.timeout.title'),
      text: es.text('blocked.timeout.text'),
    })
    // A status without texts of its own still tells the worker something.
    expect(endedScreen('abandoned', en)).toMatchObject({
      title: en.text('screen.blocked.title'),
      text: en.text('blocked.unknown.text', { code: 'abandoned' }),
    })
  })
})
