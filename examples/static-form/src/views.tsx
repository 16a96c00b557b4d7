// The page's simple states: loading, preview, blocked, error, thanks.
import { useEffect, useRef, type ReactNode } from 'react'
import { usePageMessages } from './messages.js'

export function Loading({ message }: { readonly message: string }): ReactNode {
  return (
    <p className="status" role="status" data-testid="loading">
      {message}
    </p>
  )
}

/** A preview never registers: the description (in the header) and how to start. */
export function Preview(): ReactNode {
  const t = usePageMessages()
  return (
    <section className="card note" id="preview" data-testid="preview">
      <p>{t.text('preview.note')}</p>
    </section>
  )
}

/**
 * Why the worker cannot work: the refusal's own title and the hook's
 * `blockedExplanation` (the backend's `failure_reason` in the task's
 * language, or verbatim when the client does not know it).
 */
export function Blocked({
  title,
  reason,
}: {
  readonly title: string
  readonly reason: string
}): ReactNode {
  return (
    <section className="card blocked" aria-labelledby="blocked-heading">
      <h2 id="blocked-heading">{title}</h2>
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
  const t = usePageMessages()
  const button = useRef<HTMLButtonElement>(null)
  useEffect(() => button.current?.focus(), [])
  return (
    <section className="card failure" aria-labelledby="error-heading">
      <h2 id="error-heading">{t.text('error.title')}</h2>
      <ErrorLine message={props.message} />
      <button type="button" id="retry" className="secondary" ref={button} onClick={props.onRetry}>
        {t.text('error.retry')}
      </button>
    </section>
  )
}

export function Thanks(): ReactNode {
  const t = usePageMessages()
  const section = useRef<HTMLElement>(null)
  useEffect(() => section.current?.focus(), [])
  return (
    <section className="card success" id="thanks" role="status" tabIndex={-1} ref={section}>
      <h2>{t.text('thanks.title')}</h2>
      <p>{t.text('thanks.text')}</p>
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
