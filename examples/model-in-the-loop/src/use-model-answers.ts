// Asks the backend's model about every review once the live connection is up
// (`predict` is null until then), reusing the answers a reload brought back.
import { useEffect, useMemo, useRef, useState } from 'react'
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
  const [asked, setAsked] = useState<ReadonlyMap<string, ModelAnswer>>(new Map())
  // Each review is asked about once, even when React runs the effect twice.
  const started = useRef(new Set<string>())
  useEffect(() => {
    if (predict === null) return
    const settle = (id: string, answer: ModelAnswer): void => {
      setAsked((current) => new Map(current).set(id, answer))
    }
    for (const review of reviews) {
      if (previous.has(review.id) || started.current.has(review.id)) continue
      started.current.add(review.id)
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
  }, [reviews, previous, predict])
  return useMemo(() => {
    const answers = new Map<string, ModelAnswer>(asked)
    for (const [id, prediction] of previous) answers.set(id, { kind: 'answered', prediction })
    return answers
  }, [asked, previous])
}
