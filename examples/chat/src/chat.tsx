// The chat itself, and the form that ends it (a rating and a comment).
import { useState, type ReactNode } from 'react'
import type { ChatLog } from './chat-log.js'
import { usePageMessages } from './messages.js'

export function Chat(props: {
  readonly log: ChatLog
  /** False once the chat is over or the partner left: no more messages. */
  readonly active: boolean
  readonly onSend: (text: string) => void
  readonly onDone: () => void
}): ReactNode {
  const { log, active } = props
  const t = usePageMessages()
  const [draft, setDraft] = useState('')
  return (
    <section className="card" aria-labelledby="chat-heading">
      <h2 id="chat-heading">
        {log.displayName === null
          ? t.text('chat.title')
          : t.text('chat.titleAs', { name: log.displayName })}
      </h2>
      {log.topic !== null && (
        <p id="topic">
          <strong>{t.text('chat.topic')}</strong> {log.topic}
        </p>
      )}
      <ol id="messages" aria-live="polite">
        {log.messages.map((message) => (
          <li key={message.id} className={`message ${message.sender}`} data-sender={message.sender}>
            <span className="who">
              {t.text(
                message.sender === 'me'
                  ? 'chat.me'
                  : message.sender === 'partner'
                    ? 'chat.partner'
                    : 'chat.note',
              )}
              :
            </span>{' '}
            <span className="text">
              {message.event === 'partner_done' ? t.text('chat.partnerDone') : message.text}
            </span>
          </li>
        ))}
      </ol>
      {active && !log.iAmDone && (
        <form
          id="message-form"
          onSubmit={(event) => {
            event.preventDefault()
            const text = draft.trim()
            if (text === '') return
            props.onSend(text)
            setDraft('')
          }}
        >
          <label htmlFor="message-input">{t.text('chat.message')}</label>
          <input
            id="message-input"
            autoComplete="off"
            value={draft}
            maxLength={1000}
            onChange={(event) => setDraft(event.target.value)}
          />
          <div className="actions">
            <button type="submit" id="send" disabled={draft.trim() === ''}>
              {t.text('chat.send')}
            </button>
            <button type="button" id="done" className="secondary" onClick={props.onDone}>
              {t.text('chat.done')}
            </button>
          </div>
        </form>
      )}
      {active && log.iAmDone && (
        <p id="waiting-partner-done" role="status">
          {t.text('chat.waitingDone')}
        </p>
      )}
    </section>
  )
}

export function SubmitForm(props: {
  /** A notice above the form (the partner-left text), if any. */
  readonly notice: string | null
  readonly onSubmit: (answer: { rating: number; comment: string }) => Promise<void>
}): ReactNode {
  const t = usePageMessages()
  const [rating, setRating] = useState<number | null>(null)
  const [comment, setComment] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  return (
    <form
      id="submit-form"
      className="card"
      onSubmit={(event) => {
        event.preventDefault()
        if (rating === null || busy) return
        setBusy(true)
        setError(null)
        props
          .onSubmit({ rating, comment })
          .catch((failure: unknown) =>
            setError(failure instanceof Error ? failure.message : String(failure)),
          )
          .finally(() => setBusy(false))
      }}
    >
      {props.notice !== null && (
        <p id="notice" role="alert">
          {props.notice}
        </p>
      )}
      <fieldset className="choices">
        <legend>{t.text('submit.question')}</legend>
        {[1, 2, 3, 4, 5].map((value) => (
          <div className="choice" key={value}>
            <input
              type="radio"
              id={`rating-${String(value)}`}
              name="rating"
              value={value}
              checked={rating === value}
              onChange={() => setRating(value)}
            />
            <label htmlFor={`rating-${String(value)}`}>{value}</label>
          </div>
        ))}
      </fieldset>
      <label htmlFor="comment">{t.text('submit.comment')}</label>
      <textarea id="comment" value={comment} onChange={(event) => setComment(event.target.value)} />
      {error !== null && (
        <p id="error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" id="submit" disabled={rating === null || busy}>
          {t.text(busy ? 'form.submitting' : 'submit.button')}
        </button>
      </div>
    </form>
  )
}
