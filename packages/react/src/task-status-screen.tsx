'use client'

import { useEffect, useRef, type ReactNode } from 'react'
import type { TaskState } from '@faust/client'

/** Props of {@link TaskStatusScreen}. */
export interface TaskStatusScreenProps {
  /** The client's state, e.g. `useFaustTask().state` or `useSnapshot(client)`. */
  readonly state: TaskState
  /** Starts over after an error (`useFaustTask().retry`); without it, no button. */
  readonly onRetry?: () => void
  /** Sends a failed submission again (`useFaustTask().retrySubmission`); without it, no button. */
  readonly onRetrySubmission?: () => void
  /** Renders the handed-in answer on the submitted screen. @default JSON in a `<pre>` */
  readonly renderAnswer?: (data: unknown) => ReactNode
  /** The task: rendered while the worker can work on it (`ready`, nothing saving). */
  readonly children?: ReactNode
}

/** One screen: what it says, and whether it is news (`status`) or a problem (`alert`). */
interface Screen {
  readonly id: string
  readonly role: 'status' | 'alert'
  readonly title: string
  readonly text: string | null
  readonly extra?: ReactNode
}

const BLOCKED_TITLES: Readonly<Record<string, string>> = {
  no_mobile: 'Not available on phones and tablets',
  no_websockets: 'Your browser is not supported',
  agent_unknown: 'Your answers could not be saved',
  submission_refused: 'Your answers could not be saved',
  expired: 'This task has ended',
  timeout: 'This task has ended',
  returned: 'This task has ended',
  disconnect: 'This task has ended',
}

/**
 * A clear, specific screen for every state in which the worker cannot simply
 * work on the task: loading, preview, each blocked reason, an error with
 * Retry, saving (with the attempts), submitted (with the answer when known),
 * a failed submission; otherwise `children`. Each screen is a labelled
 * region whose heading takes the focus when it appears, and announces itself
 * (`role="status"`, or `alert` for problems). `data-faust-state` names it.
 */
export function TaskStatusScreen(props: TaskStatusScreenProps): ReactNode {
  const screen = screenFor(props)
  if (screen === null) return props.children
  return <StatusSection key={screen.id} screen={screen} />
}

function StatusSection({ screen }: { readonly screen: Screen }): ReactNode {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    // Read through a structural type: the tests' tsconfig has no DOM lib.
    ;(heading.current as { focus?: () => void } | null)?.focus?.()
  }, [])
  const headingId = `faust-${screen.id}-heading`
  return (
    <section className="faust-status" data-faust-state={screen.id} aria-labelledby={headingId}>
      <h2 id={headingId} tabIndex={-1} ref={heading}>
        {screen.title}
      </h2>
      {screen.text !== null && <p role={screen.role}>{screen.text}</p>}
      {screen.extra}
    </section>
  )
}

function screenFor(props: TaskStatusScreenProps): Screen | null {
  const { state } = props
  const submission = state.submission
  if (submission?.state === 'saving') {
    const again = submission.attempts > 1
    return {
      id: 'saving',
      role: 'status',
      title: 'Saving your answers…',
      text: again
        ? `Still trying (attempt ${String(submission.attempts)}). Keep this page open: your answers are kept in this browser and will be sent when the server is back.`
        : null,
    }
  }
  if (state.status === 'submitted' || submission?.state === 'saved') return submittedScreen(props)
  if (submission?.state === 'failed' && state.status !== 'blocked') {
    return {
      id: 'failed',
      role: 'alert',
      title: 'Your answers are not saved yet',
      text: `${submission.error?.message ?? 'The server did not confirm them.'} They are kept in this browser.`,
      extra: button('Try again', props.onRetrySubmission),
    }
  }
  return stateScreen(props)
}

function submittedScreen({ state, renderAnswer = showJson }: TaskStatusScreenProps): Screen {
  const before = state.blockedReason === 'already_submitted'
  const data = state.submittedData
  return {
    id: 'submitted',
    role: 'status',
    title: before ? 'You have already submitted this task' : 'Saved: thank you!',
    text: before
      ? 'Your answers are saved; there is nothing more to do. You can close this page.'
      : 'Your answers are saved. You can close this page.',
    extra: data === null || data === undefined ? null : renderAnswer(data),
  }
}

function stateScreen({ state, onRetry }: TaskStatusScreenProps): Screen | null {
  switch (state.status) {
    case 'loading':
      return { id: 'loading', role: 'status', title: 'Loading the task…', text: null }
    case 'preview':
      return {
        id: 'preview',
        role: 'status',
        title: 'Preview',
        text: 'This is a preview of the task. Accept it to start working.',
      }
    case 'blocked': {
      const reason = state.blockedReason ?? ''
      return {
        id: `blocked-${reason}`,
        role: 'alert',
        title: BLOCKED_TITLES[reason] ?? 'You cannot work on this task right now',
        text: state.blockedExplanation,
      }
    }
    case 'error':
      return {
        id: 'error',
        role: 'alert',
        title: 'The task could not be loaded',
        text: state.error?.message ?? null,
        extra: button('Retry', onRetry),
      }
    default:
      return null
  }
}

function button(label: string, onClick: (() => void) | undefined): ReactNode {
  if (onClick === undefined) return null
  return (
    <button type="button" onClick={onClick}>
      {label}
    </button>
  )
}

function showJson(data: unknown): ReactNode {
  return (
    <figure>
      <figcaption>Your answers</figcaption>
      <pre>{JSON.stringify(data, null, 2)}</pre>
    </figure>
  )
}
