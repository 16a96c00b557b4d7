// One review: its text, the model's answer (or why there is none), and the
// worker's label, preset by nothing: agreeing is a click like correcting.
import type { ReactNode } from 'react'
import { LABELS, type ModelAnswer, type Review, type Sentiment } from './task-data.js'

export function ReviewCard(props: {
  readonly review: Review
  readonly answer: ModelAnswer | undefined
  readonly label: Sentiment | undefined
  readonly onLabel: (label: Sentiment) => void
}): ReactNode {
  const { review, answer, label } = props
  return (
    <section className="card review" id={`review-${review.id}`} aria-label={`Review ${review.id}`}>
      <blockquote className="review-text">{review.text}</blockquote>
      <ModelLine id={review.id} answer={answer} />
      <fieldset className="choices">
        <legend>Your label</legend>
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
            {option.label}
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
  if (answer === undefined || answer.kind === 'asking') {
    return (
      <p className="prediction status" id={`asking-${id}`} role="status">
        Asking the model…
      </p>
    )
  }
  if (answer.kind === 'failed') {
    return (
      <p className="model-error" id={`model-error-${id}`} role="alert">
        The model could not answer: {answer.message}. Please label this one yourself.
      </p>
    )
  }
  const { prediction } = answer
  const evidence = prediction.evidence.map((item) => item.word).join(', ')
  return (
    <p className="prediction" id={`prediction-${id}`} data-label={prediction.label}>
      The model says <strong>{prediction.label}</strong> (confidence{' '}
      {Math.round(prediction.confidence * 100)}%)
      {evidence === '' ? '' : <span className="evidence"> because of: {evidence}</span>}
    </p>
  )
}
