// Reading what the backend sends. A remote-procedure task's `init_task_data`
// is `{ task_data, previous_requests }` (Mephisto's blueprint): the batch of
// reviews, and every call made so far (a reload reuses the model's answers).
// Pure functions; the views render what they return.

export type Sentiment = 'positive' | 'negative' | 'neutral'

export const LABELS: readonly { readonly value: Sentiment; readonly label: string }[] = [
  { value: 'positive', label: 'Positive' },
  { value: 'negative', label: 'Negative' },
  { value: 'neutral', label: 'Neutral' },
]

export interface Review {
  readonly id: string
  readonly text: string
}

export interface Prediction {
  readonly label: Sentiment
  readonly confidence: number
  readonly evidence: readonly { readonly word: string; readonly weight: number }[]
}

/** The model's answer for one review, as the page tracks it. */
export type ModelAnswer =
  | { readonly kind: 'asking' }
  | { readonly kind: 'answered'; readonly prediction: Prediction }
  | { readonly kind: 'failed'; readonly message: string }

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The batch's reviews (`task_data.items`). */
export function readReviews(initialTaskData: unknown): Review[] {
  const data = isRecord(initialTaskData) ? initialTaskData['task_data'] : undefined
  const items = isRecord(data) && Array.isArray(data['items']) ? (data['items'] as unknown[]) : []
  return items.map((item, index) => {
    const record = isRecord(item) ? item : {}
    const id = typeof record['id'] === 'string' ? record['id'] : `item-${String(index)}`
    const text = typeof record['text'] === 'string' ? record['text'] : JSON.stringify(item)
    return { id, text }
  })
}

export function isPrediction(value: unknown): value is Prediction {
  return (
    isRecord(value) &&
    LABELS.some((label) => label.value === value['label']) &&
    typeof value['confidence'] === 'number' &&
    Array.isArray(value['evidence'])
  )
}

/**
 * The model's answers already given to this page, by review id, from
 * `previous_requests` (`{ uuid, target, args_json, response_json, timestamp }`).
 */
export function previousAnswers(initialTaskData: unknown): Map<string, Prediction> {
  const answers = new Map<string, Prediction>()
  const previous = isRecord(initialTaskData) ? initialTaskData['previous_requests'] : undefined
  if (!Array.isArray(previous)) return answers
  for (const request of previous as unknown[]) {
    if (!isRecord(request) || request['target'] !== 'predict') continue
    const args = parse(request['args_json'])
    const response = parse(request['response_json'])
    if (isRecord(args) && typeof args['id'] === 'string' && isPrediction(response)) {
      answers.set(args['id'], response)
    }
  }
  return answers
}

function parse(json: unknown): unknown {
  if (typeof json !== 'string') return undefined
  try {
    return JSON.parse(json) as unknown
  } catch {
    return undefined
  }
}

/** A caught value's message. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
