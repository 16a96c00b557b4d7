// The page's flow, driven by `useMephistoLiveTask` (docs/protocol.md §4.6, §5.5,
// §7.3): task config → request_agent → the onboarding quiz → connect the
// socket → `waiting` (for a partner) → `in task` (chat) → the task's
// `task_done`, or the partner's departure → rate and submit.
import { useCallback, useEffect, useState, type ReactNode } from 'react'
import { ErrorBoundary, STATUS_TO_TEXT_MAP, useMephistoLiveTask } from '@faust/react'
import { applyUpdate, EMPTY_LOG, readTopic, type ChatLog } from './chat-log.js'
import { Chat, SubmitForm } from './chat.js'
import { OnboardingForm } from './onboarding-form.js'

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
        <h2>Thank you!</h2>
        <p>Your answer was submitted. You can close this page.</p>
      </section>
    )
  } else if (status === 'loading') {
    state = 'loading'
    content = (
      <p className="status">
        {taskConfig === null ? 'Loading the task…' : 'Finding a chat for you…'}
      </p>
    )
  } else if (status === 'preview') {
    state = 'preview'
    content = <p id="preview">preview: open the link with worker_id and assignment_id</p>
  } else if (status === 'blocked') {
    state = 'blocked'
    content = (
      <p id="blocked" role="alert">
        {task.blockedExplanation ?? ''}
      </p>
    )
  } else if (status === 'error') {
    state = 'error'
    content = (
      <section className="card failure">
        <p id="error" role="alert">
          {task.error?.message ?? 'Something went wrong.'}
        </p>
        <button type="button" id="retry" onClick={() => void task.retry()}>
          Retry
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
        {STATUS_TO_TEXT_MAP[agentStatus] ?? agentStatus}
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
            agentStatus === 'partner disconnect'
              ? (STATUS_TO_TEXT_MAP[agentStatus] ?? null)
              : 'The chat is over. Please rate it and submit.'
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
        <p>Waiting for a partner to join…</p>
      </section>
    )
  }

  return (
    <main id="app" data-state={state} data-agent-status={agentStatus ?? ''}>
      <header>
        <h1 id="task-title">{title ?? (taskConfig === null ? 'Loading…' : 'Task')}</h1>
        <p id="task-description">{description}</p>
      </header>
      <div id="content">
        <ErrorBoundary handleError={(failure) => void handleFatalError(failure)}>
          {content}
        </ErrorBoundary>
      </div>
    </main>
  )
}
