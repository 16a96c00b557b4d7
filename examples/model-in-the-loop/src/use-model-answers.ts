// Asks the backend's model about every review once the live connection is up
// (`predict` is null until then), reusing the answers a reload brought back.
import { useEffect, useRef, useState } from 'react'
import {
  isPrediction,
  messageOf,
  type ModelAnswer,
  type Prediction,
  type Review,
} from './task-data.js'

/** The `predict` remote procedure, as the hook's `remoteProcedure('predict')` gives it. */
export type Predict = (args: { id: string; text: string }) => Promise<unknown>

export function useModelAnswers(
  reviews: readonly Review[],
  previous: ReadonlyMap<string, Prediction>,
  predict: Predict | null,
): ReadonlyMap<string, ModelAnswer> {
  const [answers, setAnswers] = useState<ReadonlyMap<string, ModelAnswer>>(
    () =>
      new Map(
        [...previous].map(([id, prediction]) => [id, { kind: 'answered', prediction } as const]),
      ),
  )
  // Each review is asked about once, even when React runs the effect twice.
  const asked = useRef(new Set<string>(previous.keys()))
  useEffect(() => {
    if (predict === null) return
    const settle = (id: string, answer: ModelAnswer): void => {
      setAnswers((current) => new Map(current).set(id, answer))
    }
    for (const review of reviews) {
      if (asked.current.has(review.id)) continue
      asked.current.add(review.id)
      settle(review.id, { kind: 'asking' })
      predict({ id: review.id, text: review.text }).then(
        (prediction) => {
          settle(
            review.id,
            isPrediction(prediction)
              ? { kind: 'answered', prediction }
              : { kind: 'failed', message: 'the model answered something unexpected' },
          )
        },
        (error: unknown) => {
          settle(review.id, { kind: 'failed', message: messageOf(error) })
        },
      )
    }
  }, [reviews, predict])
  return answers
}
