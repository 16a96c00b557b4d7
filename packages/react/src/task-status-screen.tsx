'use client'

import { useEffect, useMemo, useRef, type ReactNode } from 'react'
import {
  blockedTitle,
  messagesForTaskConfig,
  type ClientMessages,
  type TaskState,
} from '@faust/client'

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
  /**
   * The texts to show. @default the task config's language and overrides
   * (`taskConfig.locale`, `taskConfig.messages`), English before it is loaded
   */
  readonly messages?: ClientMessages
}

/** One screen: what it says, and whether it is news (`status`) or a problem (`alert`). */
interface Screen {
  readonly id: string
  readonly role: 'status' | 'alert'
  readonly title: string
  readonly text: string | null
  readonly extra?: ReactNode
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
  const config = props.state.taskConfig
  const fromConfig = useMemo(() => messagesForTaskConfig(config), [config])
  const messages = props.messages ?? fromConfig
  const screen = screenFor(props, messages)
  if (screen === null) return props.children
  return <StatusSection key={screen.id} screen={screen} lang={messages.locale} />
}

function StatusSection({
  screen,
  lang,
}: {
  readonly screen: Screen
  readonly lang: string
}): ReactNode {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    // Read through a structural type: the tests' tsconfig has no DOM lib.
    ;(heading.current as { focus?: () => void } | null)?.focus?.()
  }, [])
  const headingId = `faust-${screen.id}-heading`
  return (
    <section
      className="faust-status"
      data-faust-state={screen.id}
      aria-labelledby={headingId}
      lang={lang}
    >
      <h2 id={headingId} tabIndex={-1} ref={heading}>
        {screen.title}
      </h2>
      {screen.text !== null && <p role={screen.role}>{screen.text}</p>}
      {screen.extra}
    </section>
  )
}

function screenFor(props: TaskStatusScreenProps, m: ClientMessages): Screen | null {
  const { state } = props
  const submission = state.submission
  if (submission?.state === 'saving') {
    const again = submission.attempts > 1
    return {
      id: 'saving',
      role: 'status',
      title: m.text('screen.saving.title'),
      text: again ? m.text('screen.saving.retrying', { attempt: submission.attempts }) : null,
    }
  }
  if (state.status === 'submitted' || submission?.state === 'saved')
    return submittedScreen(props, m)
  if (submission?.state === 'failed' && state.status !== 'blocked') {
    return {
      id: 'failed',
      role: 'alert',
      title: m.text('screen.failed.title'),
      text: m.text('screen.failed.text', {
        error: submission.error?.message ?? m.text('screen.failed.unconfirmed'),
      }),
      extra: button(m.text('screen.failed.button'), props.onRetrySubmission),
    }
  }
  return stateScreen(props, m)
}

function submittedScreen(
  { state, renderAnswer }: TaskStatusScreenProps,
  m: ClientMessages,
): Screen {
  const before = state.blockedReason === 'already_submitted'
  const data = state.submittedData
  return {
    id: 'submitted',
    role: 'status',
    title: m.text(before ? 'screen.submittedBefore.title' : 'screen.submitted.title'),
    text: m.text(before ? 'screen.submittedBefore.text' : 'screen.submitted.text'),
    extra:
      data === null || data === undefined
        ? null
        : (renderAnswer ?? ((answer) => showJson(answer, m)))(data),
  }
}

function stateScreen({ state, onRetry }: TaskStatusScreenProps, m: ClientMessages): Screen | null {
  switch (state.status) {
    case 'loading':
      return { id: 'loading', role: 'status', title: m.text('screen.loading.title'), text: null }
    case 'preview':
      return {
        id: 'preview',
        role: 'status',
        title: m.text('screen.preview.title'),
        text: m.text('screen.preview.text'),
      }
    case 'blocked': {
      const reason = state.blockedReason ?? ''
      return {
        id: `blocked-${reason}`,
        role: 'alert',
        title: blockedTitle(state, m),
        text: state.blockedExplanation,
      }
    }
    case 'error':
      return {
        id: 'error',
        role: 'alert',
        title: m.text('screen.error.title'),
        text: state.error?.message ?? null,
        extra: button(m.text('screen.error.button'), onRetry),
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

function showJson(data: unknown, m: ClientMessages): ReactNode {
  return (
    <figure>
      <figcaption>{m.text('screen.answer.caption')}</figcaption>
      <pre>{JSON.stringify(data, null, 2)}</pre>
    </figure>
  )
}
