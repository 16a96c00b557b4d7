// The page. `useFaustTask` loads task_config.json, registers the worker and
// submits; `TaskStatusScreen` shows every state in which the worker cannot
// work yet (loading, preview, refused, saving, saved, errors) in the task's
// language, and the form otherwise.
import { useState, type FormEvent, type ReactNode } from 'react'
import { useFaustTask } from '@faust/react'
import { TaskStatusScreen } from '@faust/react/status-screen'

/** The unit's data: one line of data.jsonl. */
interface Sentence {
  readonly id: string
  readonly text: string
}

export function App(): ReactNode {
  const task = useFaustTask()
  const title = task.taskConfig?.task_title
  return (
    <main>
      <h1>{typeof title === 'string' ? title : 'Loading…'}</h1>
      <TaskStatusScreen
        state={task.state}
        onRetry={() => void task.retry()}
        onRetrySubmission={task.retrySubmission}
      >
        <JudgementForm
          sentence={task.initialTaskData as Sentence}
          onSubmit={(answer) => void task.handleSubmit(answer)}
        />
      </TaskStatusScreen>
    </main>
  )
}

interface JudgementFormProps {
  readonly sentence: Sentence
  readonly onSubmit: (answer: { grammatical: string; comment: string }) => void
}

function JudgementForm({ sentence, onSubmit }: JudgementFormProps): ReactNode {
  const [grammatical, setGrammatical] = useState<string | null>(null)
  const [comment, setComment] = useState('')
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    if (grammatical !== null) onSubmit({ grammatical, comment })
  }
  return (
    <form onSubmit={submit}>
      <blockquote>{sentence.text}</blockquote>
      <fieldset>
        <legend>Is this sentence grammatical?</legend>
        {['yes', 'no'].map((value) => (
          <label key={value}>
            <input
              type="radio"
              name="grammatical"
              value={value}
              checked={grammatical === value}
              onChange={() => setGrammatical(value)}
            />
            {value === 'yes' ? 'Yes' : 'No'}
          </label>
        ))}
      </fieldset>
      <label>
        Comment (optional)
        <textarea value={comment} onChange={(event) => setComment(event.target.value)} />
      </label>
      <button type="submit" disabled={grammatical === null}>
        Submit
      </button>
    </form>
  )
}
