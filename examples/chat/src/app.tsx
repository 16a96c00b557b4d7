// The page's flow, driven by `useMephistoLiveTask` (docs/protocol.md §4.6, §5.5,
// §7.3): task config → request_agent → the onboarding quiz → connect the
// socket → `waiting` (for a partner) → `in task` (chat) → the task's
// `task_done`, or the partner's departure → rate and submit.
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react'
import {
  blockedTitle,
  ErrorBoundary,
  messagesForTaskConfig,
  useMephistoLiveTask,
} from '@faust/react'
import { applyUpdate, EMPTY_LOG, readTopic, type ChatLog } from './chat-log.js'
import { Chat, SubmitForm } from './chat.js'
import { OnboardingForm } from './onboarding-form.js'
import { PageMessagesProvider, usePageMessagesFor } from './messages.js'

/** `data-state` on `<main id="app">`: what a browser test waits for. */
export type PageState =
  | 'loading'
  | 'preview'
  | 'blocked'
  | 'error'
  | 'onboarding'
  | 'waiting'
  | 'chat'
  | 'submit'
  | 'ended'
  | 'thanks'

/** Statuses after which this worker can do nothing more. */
const GONE = new Set(['disconnect', 'returned', 'expired', 'timeout', 'mephisto disconnect'])

export function App(): ReactNode {
  const [log, setLog] = useState<ChatLog>(EMPTY_LOG)
  const [submitted, setSubmitted] = useState(false)
  const onLiveUpdate = useCallback((update: Readonly<Record<string, unknown>>) => {
    setLog((current) => applyUpdate(current, update))
  }, [])
  const task = useMephistoLiveTask({ onLiveUpdate })
  const { status, taskConfig, isOnboarding, agentId, initialTaskData, agentStatus } = task
  const { connect, sendLiveUpdate, handleSubmit, handleFatalError } = task

  const t = usePageMessagesFor(taskConfig)
  // The library's texts (statuses, refusals) in the task's language.
  const library = useMemo(() => messagesForTaskConfig(taskConfig), [taskConfig])
  const statusText = (status: string): string => {
    const key = `blocked.${status}.text`
    return library.has(key) ? library.text(key) : status
  }
  const title = typeof taskConfig?.['task_title'] === 'string' ? taskConfig['task_title'] : null
  const description =
    typeof taskConfig?.['task_description'] === 'string' ? taskConfig['task_description'] : ''
  useEffect(() => {
    if (title !== null) document.title = title
  }, [title])
  // The reference leaves connecting to the app: once per real agent (not for
  // the quiz, which is a plain form).
  useEffect(() => {
    if (status === 'ready' && isOnboarding === false && agentId !== null) connect(agentId)
  }, [status, isOnboarding, agentId, connect])

  const send = (text: string): void => {
    void sendLiveUpdate({ text }).then((sent) => setLog((current) => applyUpdate(current, sent)))
  }
  const done = (): void => {
    void sendLiveUpdate({ done: true }).then((sent) =>
      setLog((current) => applyUpdate(current, sent)),
    )
  }

  let state: PageState
  let content: ReactNode
  const topic = log.topic ?? readTopic(initialTaskData)
  if (submitted) {
    state = 'thanks'
    content = (
      <section className="card success" id="thanks" role="status">
        <h2>{t.text('thanks.title')}</h2>
        <p>{t.text('thanks.text')}</p>
      </section>
    )
  } else if (status === 'loading') {
    state = 'loading'
    content = (
      <p className="status">{t.text(taskConfig === null ? 'loading.config' : 'loading.unit')}</p>
    )
  } else if (status === 'preview') {
    state = 'preview'
    content = <p id="preview">{t.text('preview.note')}</p>
  } else if (status === 'blocked') {
    state = 'blocked'
    content = (
      <section className="card blocked" aria-labelledby="blocked-heading">
        <h2 id="blocked-heading">
          {blockedTitle({ blockedReason: task.blockedReason, refusal: task.refusal }, library)}
        </h2>
        <p id="blocked" role="alert">
          {task.blockedExplanation ?? ''}
        </p>
      </section>
    )
  } else if (status === 'error') {
    state = 'error'
    content = (
      <section className="card failure">
        <p id="error" role="alert">
          {task.error?.message ?? t.text('error.unknown')}
        </p>
        <button type="button" id="retry" onClick={() => void task.retry()}>
          {t.text('error.retry')}
        </button>
      </section>
    )
  } else if (isOnboarding === true) {
    state = 'onboarding'
    content = <OnboardingForm quiz={initialTaskData} onSubmit={handleSubmit} />
  } else if (agentStatus !== null && GONE.has(agentStatus)) {
    state = 'ended'
    content = (
      <p id="status-text" role="alert">
        {statusText(agentStatus)}
      </p>
    )
  } else if (agentStatus === 'partner disconnect' || log.taskDone) {
    state = 'submit'
    const submit = async (answer: { rating: number; comment: string }): Promise<void> => {
      await handleSubmit({ ...answer, partnerLeft: agentStatus === 'partner disconnect' })
      setSubmitted(true)
    }
    content = (
      <>
        <Chat log={log} active={false} onSend={send} onDone={done} />
        <SubmitForm
          notice={
            agentStatus === 'partner disconnect' ? statusText(agentStatus) : t.text('submit.over')
          }
          onSubmit={submit}
        />
      </>
    )
  } else if (agentStatus === 'in task') {
    state = 'chat'
    content = <Chat log={{ ...log, topic }} active onSend={send} onDone={done} />
  } else {
    state = 'waiting'
    content = (
      <section className="card note" id="waiting" role="status">
        <p>{t.text('waiting.text')}</p>
      </section>
    )
  }

  return (
    <PageMessagesProvider value={t}>
      <main id="app" data-state={state} data-agent-status={agentStatus ?? ''}>
        <header>
          <h1 id="task-title">
            {title ?? t.text(taskConfig === null ? 'title.loading' : 'title.untitled')}
          </h1>
          <p id="task-description">{description}</p>
        </header>
        <div id="content">
          <ErrorBoundary handleError={(failure) => void handleFatalError(failure)}>
            {content}
          </ErrorBoundary>
        </div>
      </main>
    </PageMessagesProvider>
  )
}
