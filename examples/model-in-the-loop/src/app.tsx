// The page's flow, driven by `useMephistoRemoteProcedureTask` (docs/protocol.md §7.4):
// task config → (preview: stop) → request_agent → the live connection (the
// hook opens it) → `predict` for every review → the worker confirms or
// corrects each label → submit_task → the provider's own submission.
import { useEffect, useMemo, useState, type ReactNode } from 'react'
import { blockedTitle, ErrorBoundary, useMephistoRemoteProcedureTask } from '@faust/react'
import { messagesForTaskConfig } from '@faust/react'
import { PageMessagesProvider, usePageMessagesFor } from './messages.js'
import { ReviewCard } from './review-card.js'
import { previousAnswers, readReviews, type ModelAnswer, type Sentiment } from './task-data.js'
import { useModelAnswers, type Predict } from './use-model-answers.js'
import { Blocked, ErrorLine, FatalError, Loading, Preview, Thanks } from './views.js'

/** `data-state` on `<main id="app">`: what a browser test waits for. */
export type PageState =
  'loading' | 'preview' | 'blocked' | 'error' | 'task' | 'submitting' | 'thanks'

/** One submitted review: the model's answer next to the worker's. */
interface ReviewResult {
  readonly id: string
  readonly model: { readonly label: Sentiment; readonly confidence: number } | null
  readonly modelError: string | null
  readonly label: Sentiment
  readonly agreed: boolean
}

export function App(): ReactNode {
  const {
    status,
    taskConfig,
    agentId,
    initialTaskData,
    blockedExplanation,
    blockedReason,
    refusal,
    error,
    retry,
    handleSubmit,
    handleFatalError,
    remoteProcedure,
    disconnectIssueText,
  } = useMephistoRemoteProcedureTask()
  const [labels, setLabels] = useState<ReadonlyMap<string, Sentiment>>(new Map())
  const [submitting, setSubmitting] = useState(false)
  const [submitted, setSubmitted] = useState(false)
  const [submitError, setSubmitError] = useState<string | null>(null)

  const t = usePageMessagesFor(taskConfig)
  const library = useMemo(() => messagesForTaskConfig(taskConfig), [taskConfig])
  const title = typeof taskConfig?.['task_title'] === 'string' ? taskConfig['task_title'] : null
  const description =
    typeof taskConfig?.['task_description'] === 'string' ? taskConfig['task_description'] : ''
  useEffect(() => {
    if (title !== null) document.title = title
  }, [title])

  const reviews = useMemo(() => readReviews(initialTaskData), [initialTaskData])
  const previous = useMemo(() => previousAnswers(initialTaskData), [initialTaskData])
  // The hook exposes `agentId` once the socket is connected: only then ask.
  const predict = useMemo<Predict | null>(
    () => (agentId === null ? null : remoteProcedure('predict')),
    [agentId, remoteProcedure],
  )
  const answers = useModelAnswers(reviews, previous, predict)
  const complete = reviews.length > 0 && reviews.every((review) => labels.has(review.id))

  const submit = async (): Promise<void> => {
    const results = reviews.map((review) => toResult(review.id, answers.get(review.id), labels))
    setSubmitting(true)
    setSubmitError(null)
    try {
      await handleSubmit({ reviews: results })
      setSubmitted(true)
    } catch (failure) {
      setSubmitError(failure instanceof Error ? failure.message : String(failure))
    } finally {
      setSubmitting(false)
    }
  }

  let state: PageState
  let content: ReactNode
  if (submitted) {
    state = 'thanks'
    content = <Thanks />
  } else if (status === 'loading') {
    state = 'loading'
    content = <Loading message={t.text(taskConfig === null ? 'loading.config' : 'loading.unit')} />
  } else if (status === 'preview') {
    state = 'preview'
    content = <Preview />
  } else if (status === 'blocked') {
    state = 'blocked'
    content = (
      <Blocked
        title={blockedTitle({ blockedReason, refusal }, library)}
        reason={blockedExplanation ?? ''}
      />
    )
  } else if (status === 'error') {
    state = 'error'
    content = (
      <FatalError
        message={error?.message ?? t.text('error.unknown')}
        onRetry={() => void retry()}
      />
    )
  } else {
    state = submitting ? 'submitting' : 'task'
    content = (
      <form
        id="task-form"
        onSubmit={(event) => {
          event.preventDefault()
          void submit()
        }}
      >
        {disconnectIssueText === undefined ? null : (
          <p className="status" id="disconnected">
            {disconnectIssueText}
          </p>
        )}
        {reviews.map((review) => (
          <ReviewCard
            key={review.id}
            review={review}
            answer={answers.get(review.id)}
            label={labels.get(review.id)}
            onLabel={(label) => {
              setLabels((current) => new Map(current).set(review.id, label))
            }}
          />
        ))}
        {submitError === null ? null : <ErrorLine message={submitError} />}
        <div className="actions">
          <button type="submit" id="submit" disabled={!complete || submitting}>
            {t.text('task.submit')}
          </button>
        </div>
      </form>
    )
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

function toResult(
  id: string,
  answer: ModelAnswer | undefined,
  labels: ReadonlyMap<string, Sentiment>,
): ReviewResult {
  const label = labels.get(id) ?? 'neutral'
  if (answer?.kind === 'answered') {
    const { prediction } = answer
    return {
      id,
      model: { label: prediction.label, confidence: prediction.confidence },
      modelError: null,
      label,
      agreed: prediction.label === label,
    }
  }
  return {
    id,
    model: null,
    modelError: answer?.kind === 'failed' ? answer.message : 'the model did not answer in time',
    label,
    agreed: false,
  }
}
