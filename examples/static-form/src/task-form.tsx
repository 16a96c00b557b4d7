// One unit: the text, the label, an optional comment and an optional screenshot.
import { useRef, useState, type ReactNode } from 'react'
import { RadioGroup, useSubmission } from './choices.js'
import { LABELS, readItem } from './task-data.js'
import { ErrorLine } from './views.js'

/** What the worker entered on the task form. */
export interface TaskAnswer {
  readonly label: string
  readonly comment: string
  readonly screenshot: File | null
}

export function TaskForm(props: {
  /** `init_task_data`: `{ id, text }`. */
  readonly item: unknown
  readonly onSubmit: (answer: TaskAnswer) => Promise<void>
}): ReactNode {
  const { id, text } = readItem(props.item)
  const [label, setLabel] = useState<string | undefined>(undefined)
  const [comment, setComment] = useState('')
  const screenshot = useRef<HTMLInputElement>(null)
  const submission = useSubmission()

  return (
    <form
      id="task-form"
      noValidate
      aria-labelledby="task-heading"
      aria-busy={submission.busy || undefined}
      onSubmit={(event) => {
        event.preventDefault()
        if (label === undefined) return
        const file = screenshot.current?.files?.[0] ?? null
        submission.run(() => props.onSubmit({ label, comment, screenshot: file }))
      }}
    >
      <h2 id="task-heading">{id === null ? 'Text' : `Text ${id}`}</h2>
      <blockquote id="task-text" data-testid="task-text">
        {text}
      </blockquote>
      <RadioGroup
        name="label"
        legend="What is the sentiment of this text?"
        options={LABELS}
        value={label}
        onChange={setLabel}
      />
      <div className="field">
        <label htmlFor="comment">
          Comment <span className="hint">(optional)</span>
        </label>
        <textarea
          id="comment"
          name="comment"
          rows={3}
          maxLength={2000}
          value={comment}
          onChange={(event) => setComment(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="screenshot">
          Screenshot <span className="hint">(optional, if something looks wrong)</span>
        </label>
        <input type="file" id="screenshot" name="screenshot" accept="image/*" ref={screenshot} />
      </div>
      {submission.error !== null && <ErrorLine message={submission.error} />}
      <div className="actions">
        <button type="submit" id="submit" disabled={label === undefined || submission.busy}>
          {submission.busy ? 'Submitting…' : 'Submit'}
        </button>
      </div>
    </form>
  )
}
