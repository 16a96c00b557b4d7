// A group of radio buttons and the submit logic both forms share.
import { useState, type ReactNode } from 'react'
import { messageOf, type LabelOption } from './task-data.js'

export function RadioGroup(props: {
  readonly name: string
  readonly legend: string
  readonly options: readonly LabelOption[]
  readonly value: string | undefined
  readonly onChange: (value: string) => void
}): ReactNode {
  return (
    <fieldset className="choices">
      <legend>{props.legend}</legend>
      {props.options.map((option) => {
        const id = `${props.name}-${option.value}`
        return (
          <div className="choice" key={option.value}>
            <input
              type="radio"
              id={id}
              name={props.name}
              value={option.value}
              required
              checked={props.value === option.value}
              onChange={() => props.onChange(option.value)}
            />
            <label htmlFor={id}>{option.label}</label>
          </div>
        )
      })}
    </fieldset>
  )
}

/** A form's submission: busy while it runs, its failure's message kept for `#error`. */
export interface Submission {
  readonly busy: boolean
  readonly error: string | null
  /** Runs `action` unless one is under way; a failure is kept, not thrown. */
  run(action: () => Promise<void>): void
}

export function useSubmission(): Submission {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  return {
    busy,
    error,
    run(action) {
      if (busy) return
      setBusy(true)
      setError(null)
      action()
        .catch((failure: unknown) => setError(messageOf(failure)))
        .finally(() => setBusy(false))
    },
  }
}
