// Adds data items to a run: JSON lines pasted into a labelled field, checked
// line by line before anything is sent.
import { useId, useState, type FormEvent } from 'react'

/** Parses JSON lines; blank lines are skipped. Throws with the line number. */
export function parseJsonLines(text: string): unknown[] {
  const items: unknown[] = []
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return
    try {
      items.push(JSON.parse(line))
    } catch {
      throw new Error(`Line ${i + 1} is not JSON.`)
    }
  })
  return items
}

export function AddItemsForm(props: {
  readonly disabled: boolean
  readonly onAdd: (items: unknown[]) => void
}) {
  const id = useId()
  const [text, setText] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    try {
      const items = parseJsonLines(text)
      if (items.length === 0) throw new Error('Paste at least one line.')
      setProblem(null)
      setText('')
      props.onAdd(items)
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error))
    }
  }
  return (
    <section aria-labelledby={`${id}-title`} className="card">
      <h2 id={`${id}-title`}>Add data items</h2>
      <form onSubmit={submit}>
        <label htmlFor={`${id}-items`}>
          Items, one JSON value a line (like the task&apos;s data file)
        </label>
        <textarea
          id={`${id}-items`}
          rows={4}
          value={text}
          aria-invalid={problem !== null}
          aria-describedby={problem === null ? undefined : `${id}-problem`}
          onChange={(e) => setText(e.target.value)}
        />
        {problem !== null && (
          <p id={`${id}-problem`} role="alert" className="bad">
            {problem}
          </p>
        )}
        <button type="submit" disabled={props.disabled}>
          Add items
        </button>
      </form>
    </section>
  )
}
