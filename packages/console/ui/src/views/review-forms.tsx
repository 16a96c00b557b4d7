// The small forms behind Reject, Pay bonus, Block worker and Qualify worker:
// labelled fields, never window.prompt.
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react'

interface FormShellProps {
  readonly legend: string
  readonly submitLabel: string
  readonly onCancel: () => void
  readonly onSubmit: () => void
  readonly children: ReactNode
}

function FormShell({ legend, submitLabel, onCancel, onSubmit, children }: FormShellProps) {
  const ref = useRef<HTMLFormElement>(null)
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('input, textarea')?.focus()
  }, [])
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    onSubmit()
  }
  return (
    <form
      ref={ref}
      className="inline-form"
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel()
      }}
    >
      <fieldset>
        <legend>{legend}</legend>
        {children}
        <div className="form-buttons">
          <button type="submit" className="primary">
            {submitLabel}
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </fieldset>
    </form>
  )
}

export function ReasonForm(props: {
  readonly legend: string
  readonly submitLabel: string
  readonly required: boolean
  readonly onCancel: () => void
  readonly onSubmit: (reason: string) => void
}) {
  const id = useId()
  const [reason, setReason] = useState('')
  return (
    <FormShell
      legend={props.legend}
      submitLabel={props.submitLabel}
      onCancel={props.onCancel}
      onSubmit={() => props.onSubmit(reason.trim())}
    >
      <label htmlFor={`${id}-reason`}>Reason{props.required ? '' : ' (optional)'}</label>
      <textarea
        id={`${id}-reason`}
        value={reason}
        required={props.required}
        rows={2}
        onChange={(e) => setReason(e.target.value)}
      />
    </FormShell>
  )
}

export function BonusForm(props: {
  readonly onCancel: () => void
  readonly onSubmit: (amountCents: number, reason: string) => void
}) {
  const id = useId()
  const [amount, setAmount] = useState('')
  const [reason, setReason] = useState('')
  return (
    <FormShell
      legend="Pay a bonus"
      submitLabel="Send bonus"
      onCancel={props.onCancel}
      onSubmit={() => props.onSubmit(Math.round(Number(amount) * 100), reason.trim())}
    >
      <label htmlFor={`${id}-amount`}>Amount in dollars</label>
      <input
        id={`${id}-amount`}
        type="number"
        min="0.01"
        step="0.01"
        inputMode="decimal"
        required
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
      />
      <label htmlFor={`${id}-reason`}>Reason</label>
      <textarea
        id={`${id}-reason`}
        required
        rows={2}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
    </FormShell>
  )
}

export function QualifyForm(props: {
  readonly onCancel: () => void
  readonly onSubmit: (qualification: string, value: number) => void
}) {
  const id = useId()
  const [name, setName] = useState('')
  const [value, setValue] = useState('1')
  return (
    <FormShell
      legend="Qualify the worker"
      submitLabel="Grant qualification"
      onCancel={props.onCancel}
      onSubmit={() => props.onSubmit(name.trim(), Number(value))}
    >
      <label htmlFor={`${id}-name`}>Qualification</label>
      <input id={`${id}-name`} required value={name} onChange={(e) => setName(e.target.value)} />
      <label htmlFor={`${id}-value`}>Value</label>
      <input
        id={`${id}-value`}
        type="number"
        step="1"
        required
        value={value}
        onChange={(e) => setValue(e.target.value)}
      />
    </FormShell>
  )
}
