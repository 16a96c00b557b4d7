// One unit: the text, the label, an optional comment and an optional screenshot.
import { useRef, useState, type ReactNode } from 'react'
import { RadioGroup, useSubmission } from './choices.js'
import { usePageMessages } from './messages.js'
import { readItem, translatedLabels } from './task-data.js'
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
  const t = usePageMessages()
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
      <h2 id="task-heading">
        {id === null ? t.text('task.heading') : t.text('task.headingWithId', { id })}
      </h2>
      <blockquote id="task-text" data-testid="task-text">
        {text}
      </blockquote>
      <RadioGroup
        name="label"
        legend={t.text('task.question')}
        options={translatedLabels(t)}
        value={label}
        onChange={setLabel}
      />
      <div className="field">
        <label htmlFor="comment">
          {t.text('task.comment')} <span className="hint">{t.text('task.commentHint')}</span>
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
          {t.text('task.screenshot')} <span className="hint">{t.text('task.screenshotHint')}</span>
        </label>
        <input type="file" id="screenshot" name="screenshot" accept="image/*" ref={screenshot} />
      </div>
      {submission.error !== null && <ErrorLine message={submission.error} />}
      <div className="actions">
        <button type="submit" id="submit" disabled={label === undefined || submission.busy}>
          {t.text(submission.busy ? 'form.submitting' : 'task.submit')}
        </button>
      </div>
    </form>
  )
}
