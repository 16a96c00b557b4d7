// One review: its text, the model's answer (or why there is none), and the
// worker's label, preset by nothing: agreeing is a click like correcting.
import type { ReactNode } from 'react'
import { usePageMessages } from './messages.js'
import { LABELS, type ModelAnswer, type Review, type Sentiment } from './task-data.js'

export function ReviewCard(props: {
  readonly review: Review
  readonly answer: ModelAnswer | undefined
  readonly label: Sentiment | undefined
  readonly onLabel: (label: Sentiment) => void
}): ReactNode {
  const { review, answer, label } = props
  const t = usePageMessages()
  return (
    <section
      className="card review"
      id={`review-${review.id}`}
      aria-label={t.text('review.name', { id: review.id })}
    >
      <blockquote className="review-text">{review.text}</blockquote>
      <ModelLine id={review.id} answer={answer} />
      <fieldset className="choices">
        <legend>{t.text('review.yourLabel')}</legend>
        {LABELS.map((option) => (
          <label className="choice" key={option.value}>
            <input
              type="radio"
              name={`label-${review.id}`}
              value={option.value}
              checked={label === option.value}
              onChange={() => {
                props.onLabel(option.value)
              }}
            />
            {t.text(`label.${option.value}`)}
          </label>
        ))}
      </fieldset>
    </section>
  )
}

function ModelLine(props: {
  readonly id: string
  readonly answer: ModelAnswer | undefined
}): ReactNode {
  const { id, answer } = props
  const t = usePageMessages()
  if (answer === undefined || answer.kind === 'asking') {
    return (
      <p className="prediction status" id={`asking-${id}`} role="status">
        {t.text('model.asking')}
      </p>
    )
  }
  if (answer.kind === 'failed') {
    return (
      <p className="model-error" id={`model-error-${id}`} role="alert">
        {t.text('model.failed', { message: answer.message })}
      </p>
    )
  }
  const { prediction } = answer
  const evidence = prediction.evidence.map((item) => item.word).join(', ')
  return (
    <p className="prediction" id={`prediction-${id}`} data-label={prediction.label}>
      {t.text('model.says')} <strong>{t.text(`model.${prediction.label}`)}</strong>{' '}
      {t.text('model.confidence', { percent: Math.round(prediction.confidence * 100) })}
      {evidence === '' ? (
        ''
      ) : (
        <span className="evidence">{t.text('model.because', { words: evidence })}</span>
      )}
    </p>
  )
}
