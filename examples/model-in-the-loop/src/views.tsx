// The page's simple states: loading, preview, blocked, error, thanks.
import { useEffect, useRef, type ReactNode } from 'react'

const PREVIEW_NOTE = 'preview: open the link with worker_id and assignment_id'

export function Loading({ message }: { readonly message: string }): ReactNode {
  return (
    <p className="status" role="status" data-testid="loading">
      {message}
    </p>
  )
}

/** A preview never registers: the description (in the header) and how to start. */
export function Preview(): ReactNode {
  return (
    <section className="card note" id="preview" data-testid="preview">
      <p>{PREVIEW_NOTE}</p>
    </section>
  )
}

/** The backend's `failure_reason`, verbatim (the hook's `blockedExplanation`). */
export function Blocked({ reason }: { readonly reason: string }): ReactNode {
  return (
    <section className="card blocked" aria-labelledby="blocked-heading">
      <h2 id="blocked-heading">You cannot work on this task right now</h2>
      <p id="blocked" role="alert">
        {reason}
      </p>
    </section>
  )
}

/** Loading or registering failed: the message and a Retry button (the hook's `retry`). */
export function FatalError(props: {
  readonly message: string
  readonly onRetry: () => void
}): ReactNode {
  const button = useRef<HTMLButtonElement>(null)
  useEffect(() => button.current?.focus(), [])
  return (
    <section className="card failure" aria-labelledby="error-heading">
      <h2 id="error-heading">Something went wrong</h2>
      <ErrorLine message={props.message} />
      <button type="button" id="retry" className="secondary" ref={button} onClick={props.onRetry}>
        Retry
      </button>
    </section>
  )
}

export function Thanks(): ReactNode {
  const section = useRef<HTMLElement>(null)
  useEffect(() => section.current?.focus(), [])
  return (
    <section className="card success" id="thanks" role="status" tabIndex={-1} ref={section}>
      <h2>Thank you!</h2>
      <p>Your answer was submitted. You can close this page.</p>
    </section>
  )
}

export function ErrorLine({ message }: { readonly message: string }): ReactNode {
  return (
    <p id="error" className="error" role="alert">
      {message}
    </p>
  )
}
