import { blockedTitle, type ClientMessages, type TaskState } from '@faust/client'
import { isElementLike, pageDocument, type ElementLike } from './dom.js'

/** A screen the adapter shows instead of the timeline. */
export interface Screen {
  /** `data-faust-state` of the region: preview, blocked, error, saving, submitted, … */
  readonly state: string
  readonly title: string
  readonly text: string
  /** `alert` for problems, so screen readers announce them at once. */
  readonly role: 'status' | 'alert'
  readonly button?: { readonly label: string; readonly onClick: () => void }
}

/**
 * The element the screens go into: `display_element` (an id or an element)
 * as jsPsych would resolve it, else the body.
 */
export function displayElementOf(jsPsychOptions: Readonly<Record<string, unknown>>): ElementLike {
  const document = pageDocument()
  const chosen = jsPsychOptions['display_element']
  if (typeof chosen === 'string') return document.getElementById(chosen) ?? document.body
  if (isElementLike(chosen)) return chosen
  return document.body
}

/** Replaces `element`'s content with `screen`, its heading focused for screen readers. */
export function showScreen(element: ElementLike, screen: Screen, messages: ClientMessages): void {
  const document = pageDocument()
  const region = document.createElement('section')
  region.dataset['faustState'] = screen.state
  region.lang = messages.locale
  region.setAttribute('aria-labelledby', 'faust-jspsych-title')
  const heading = document.createElement('h1')
  heading.id = 'faust-jspsych-title'
  heading.tabIndex = -1
  heading.textContent = screen.title
  const text = document.createElement('p')
  text.setAttribute('role', screen.role)
  text.textContent = screen.text
  region.append(heading, text)
  if (screen.button !== undefined) {
    const { label, onClick } = screen.button
    const button = document.createElement('button')
    button.setAttribute('type', 'button')
    button.textContent = label
    button.addEventListener('click', onClick, { once: true })
    region.append(button)
  }
  element.replaceChildren(region)
  heading.focus()
}

/** The screen of a state in which the worker cannot run the timeline; null when it can. */
export function stateScreen(state: TaskState, messages: ClientMessages): Screen | null {
  switch (state.status) {
    case 'preview': {
      return {
        state: 'preview',
        title: messages.text('screen.preview.title'),
        text: messages.text('screen.preview.text'),
        role: 'status',
      }
    }
    case 'submitted': {
      return {
        state: 'submitted-before',
        title: messages.text('screen.submittedBefore.title'),
        text: messages.text('screen.submittedBefore.text'),
        role: 'status',
      }
    }
    case 'blocked': {
      return {
        state: 'blocked',
        title: blockedTitle(state, messages),
        text: state.blockedExplanation ?? messages.text('screen.blocked.title'),
        role: 'alert',
      }
    }
    default: {
      return null
    }
  }
}

export function errorScreen(error: Error, messages: ClientMessages, onRetry?: () => void): Screen {
  return {
    state: 'error',
    title: messages.text('screen.error.title'),
    text: error.message,
    role: 'alert',
    ...(onRetry === undefined
      ? {}
      : { button: { label: messages.text('screen.error.button'), onClick: onRetry } }),
  }
}

/** "Saving…"; from the second try, the attempt and that the answers are kept. */
export function savingScreen(messages: ClientMessages, attempt = 1): Screen {
  return {
    state: 'saving',
    title: messages.text('screen.saving.title'),
    text: attempt > 1 ? messages.text('screen.saving.retrying', { attempt }) : '',
    role: 'status',
  }
}

export function submittedScreen(messages: ClientMessages): Screen {
  return {
    state: 'submitted',
    title: messages.text('screen.submitted.title'),
    text: messages.text('screen.submitted.text'),
    role: 'status',
  }
}

export function failedScreen(error: Error, messages: ClientMessages, onRetry: () => void): Screen {
  return {
    state: 'failed',
    title: messages.text('screen.failed.title'),
    text: messages.text('screen.failed.text', { error: error.message }),
    role: 'alert',
    button: { label: messages.text('screen.failed.button'), onClick: onRetry },
  }
}

/**
 * The agent's unit ended while the timeline ran (`expired`, `timeout`, …): the
 * catalogue's title and text for that status, as `mephisto-task` pages show them.
 */
export function endedScreen(agentStatus: string, messages: ClientMessages): Screen {
  const key = `blocked.${agentStatus}.text`
  return {
    state: 'ended',
    title: blockedTitle({ blockedReason: agentStatus }, messages),
    text: messages.has(key)
      ? messages.text(key)
      : messages.text('blocked.unknown.text', { code: agentStatus }),
    role: 'alert',
  }
}
