// The page's flow, driven by `useMephistoTask` (docs/protocol.md §4.1, §4.4, §8.2):
// task config → (preview: stop) → request_agent → the onboarding quiz (its
// `handleSubmit` posts submit_onboarding) → the task → submit_task → the
// provider's own submission.
import { useEffect, useState, type ReactNode } from 'react'
import { blockedTitle, ErrorBoundary, useFaustTask } from '@faust/react'
import { TaskStatusScreen } from '@faust/react/status-screen'
import { Blocked, FatalError, Loading, Preview, Thanks } from './views.js'
import { PageMessagesProvider, usePageMessages, usePageMessagesFor } from './messages.js'
import { OnboardingForm } from './onboarding-form.js'
import { TaskForm, type TaskAnswer } from './task-form.js'

/** `data-state` on `<main id="app">`: what a browser test waits for. */
export type PageState =
  | 'loading'
  | 'preview'
  | 'blocked'
  | 'error'
  | 'onboarding'
  | 'task'
  | 'submitting'
  | 'thanks'
  | 'submitted'

export function App(): ReactNode {
  const task = useFaustTask()
  const {
    status,
    taskConfig,
    isOnboarding,
    initialTaskData,
    blockedExplanation,
    error,
    retry,
    handleSubmit,
    handleMetadataSubmit,
    handleFatalError,
  } = task
  const [submitting, setSubmitting] = useState(false)
  const [submitted, setSubmitted] = useState(false)
  const t = usePageMessagesFor(taskConfig)

  const title = typeof taskConfig?.['task_title'] === 'string' ? taskConfig['task_title'] : null
  const description =
    typeof taskConfig?.['task_description'] === 'string' ? taskConfig['task_description'] : ''
  useEffect(() => {
    if (title !== null) document.title = title
  }, [title])

  /** The task's answer: JSON without a file, multipart (`FormData`) with one. */
  const submitTask = async (answer: TaskAnswer): Promise<void> => {
    const finalData = { label: answer.label, comment: answer.comment }
    if (answer.comment !== '') {
      // Best effort: the answer matters, the feedback is a bonus.
      await handleMetadataSubmit({ type: 'feedback', text: answer.comment }).catch(
        (failure: unknown) => {
          console.warn('feedback not sent', failure)
        },
      )
    }
    if (answer.screenshot === null) {
      await handleSubmit(finalData)
    } else {
      const form = new FormData()
      form.set('final_string_data', JSON.stringify(finalData))
      form.set('screenshot', answer.screenshot)
      await handleSubmit(form)
    }
    setSubmitted(true)
  }

  /** Runs a submission with `data-state="submitting"`; a failure keeps the form. */
  const whileSubmitting =
    <T,>(action: (value: T) => Promise<void>) =>
    async (value: T): Promise<void> => {
      setSubmitting(true)
      try {
        await action(value)
      } finally {
        setSubmitting(false)
      }
    }

  let state: PageState
  let content: ReactNode
  if (submitted) {
    state = 'thanks'
    content = <Thanks />
  } else if (
    task.state.status === 'submitted' ||
    (task.submission.state === 'saving' && (!submitting || task.submission.attempts > 1))
  ) {
    // A reload after submitting: "already submitted" with the answer, never an
    // empty form; or the answer the tab kept, being sent again; or a submission
    // the router has not acknowledged after the first try.
    state = task.state.status === 'submitted' ? 'submitted' : 'submitting'
    content = (
      <TaskStatusScreen
        state={task.state}
        onRetrySubmission={task.retrySubmission}
        renderAnswer={(answer) => <SubmittedAnswer answer={answer} />}
      />
    )
  } else if (status === 'loading') {
    state = 'loading'
    content = <Loading message={t.text(taskConfig === null ? 'loading.config' : 'loading.unit')} />
  } else if (status === 'preview') {
    state = 'preview'
    content = <Preview />
  } else if (status === 'blocked') {
    state = 'blocked'
    content = (
      <Blocked title={blockedTitle(task.state, task.messages)} reason={blockedExplanation ?? ''} />
    )
  } else if (status === 'error') {
    state = 'error'
    content = (
      <FatalError
        message={error?.message ?? t.text('error.unknown')}
        onRetry={() => void retry()}
      />
    )
  } else if (isOnboarding === true) {
    state = submitting ? 'submitting' : 'onboarding'
    content = <OnboardingForm quiz={initialTaskData} onSubmit={whileSubmitting(handleSubmit)} />
  } else {
    state = submitting ? 'submitting' : 'task'
    content = <TaskForm item={initialTaskData} onSubmit={whileSubmitting(submitTask)} />
  }

  const busy = state === 'loading' || state === 'submitting'
  return (
    <PageMessagesProvider value={t}>
      <main id="app" data-state={state} aria-busy={busy}>
        <header>
          <h1 id="task-title">
            {title ?? t.text(taskConfig === null ? 'title.loading' : 'title.untitled')}
          </h1>
          <p id="task-description">{description}</p>
        </header>
        <div id="content" aria-live="polite">
          <ErrorBoundary handleError={(failure) => void handleFatalError(failure)}>
            {content}
          </ErrorBoundary>
        </div>
      </main>
    </PageMessagesProvider>
  )
}

/** The stored answer on the "already submitted" screen. */
function SubmittedAnswer({ answer }: { readonly answer: unknown }): ReactNode {
  const t = usePageMessages()
  const { label, comment } = (answer ?? {}) as { label?: unknown; comment?: unknown }
  return (
    <dl id="submitted-answer">
      <dt>{t.text('answer.label')}</dt>
      <dd>{typeof label === 'string' ? label : '—'}</dd>
      {typeof comment === 'string' && comment !== '' && (
        <>
          <dt>{t.text('answer.comment')}</dt>
          <dd>{comment}</dd>
        </>
      )}
    </dl>
  )
}
