// The task `faust run examples/model-in-the-loop` loads: each assignment is a
// batch of short product reviews. For every review the page asks the backend's
// "model" (`predict`, a remote procedure) for a sentiment, shows it, and the
// worker confirms or corrects it. The model is a tiny lexicon scorer, written
// here: deterministic, local, no network. Swap in a real one (an HTTP call to
// a model server, passing `call.signal` along) without touching the page.
import { defineTask, type BotUnitContext, type RemoteCall } from '@faust/backend'

/** The labels the model and the worker choose from. */
export type Sentiment = 'positive' | 'negative' | 'neutral'

/** What `predict` answers. */
export interface Prediction {
  readonly label: Sentiment
  /** 0.5 (a guess) to 0.95. */
  readonly confidence: number
  /** The words that decided it, with their weights (negated ones flipped). */
  readonly evidence: readonly { readonly word: string; readonly weight: number }[]
}

/** Longer texts are refused: the page shows the model's error and the worker labels alone. */
export const MAX_TEXT_LENGTH = 280

const LEXICON: Readonly<Record<string, number>> = {
  great: 2,
  love: 2,
  excellent: 2,
  perfect: 2,
  wonderful: 2,
  recommended: 1,
  comfortable: 1,
  fast: 1,
  quiet: 1,
  good: 1,
  fit: 1,
  bad: -2,
  terrible: -3,
  avoid: -2,
  broke: -2,
  cracked: -2,
  crashing: -2,
  never: -1,
  harsh: -1,
  confusing: -1,
}

const NEGATIONS = new Set(['not', 'no', "don't", "isn't", "wasn't"])

/**
 * Scores a text: the sum of its words' weights, a word after a negation
 * counting the other way ("not bad" is mildly positive).
 */
export function predictSentiment(text: string): Prediction {
  if (text.trim() === '') throw new Error('there is no text to score')
  if (text.length > MAX_TEXT_LENGTH) {
    throw new Error(
      `the text is longer than the model accepts (${String(MAX_TEXT_LENGTH)} characters)`,
    )
  }
  const words = text.toLowerCase().match(/[a-z']+/g) ?? []
  const evidence: { word: string; weight: number }[] = []
  let score = 0
  for (const [index, word] of words.entries()) {
    const weight = LEXICON[word]
    if (weight === undefined || weight === 0) continue
    const negated = index > 0 && NEGATIONS.has(words[index - 1] ?? '')
    const counted = negated ? -weight / 2 : weight
    evidence.push({ word: negated ? `not ${word}` : word, weight: counted })
    score += counted
  }
  let label: Sentiment = 'neutral'
  if (score >= 1) label = 'positive'
  else if (score <= -1) label = 'negative'
  const confidence = Math.round(100 * Math.min(0.95, 0.5 + Math.abs(score) / 8)) / 100
  return { label, confidence, evidence }
}

/**
 * The remote procedure: `predict({ id, text })`. `call` says who asks (worker,
 * unit) and carries an AbortSignal aborted at the call's timeout: a model
 * behind HTTP would get `fetch(url, { signal: call.signal })`.
 */
function predict(args: Record<string, unknown>, call: RemoteCall): Prediction {
  const { text } = args
  if (typeof text !== 'string') throw new Error('predict needs { text: string }')
  call.signal.throwIfAborted()
  return predictSentiment(text)
}

/**
 * A simulated worker (`faust simulate`): asks the model about every review,
 * agrees with it most of the time, and submits what the page would.
 */
async function reviewBot({ data, call, random }: BotUnitContext): Promise<unknown> {
  const taskData = (data as { task_data?: { items?: unknown } } | null)?.task_data
  const items = Array.isArray(taskData?.items)
    ? (taskData.items as { id: string; text: string }[])
    : []
  const labels: readonly Sentiment[] = ['positive', 'negative', 'neutral']
  const reviews = []
  for (const item of items) {
    const model = await call('predict', { id: item.id, text: item.text }).then(
      (answer) => answer as Prediction,
      () => null,
    )
    const agreed = model !== null && random() < 0.8
    const label = agreed ? model.label : (labels[Math.floor(random() * 3)] ?? 'neutral')
    reviews.push({
      id: item.id,
      model: model === null ? null : { label: model.label, confidence: model.confidence },
      modelError: model === null ? 'the model could not answer' : null,
      label,
      agreed: model !== null && label === model.label,
    })
  }
  return { reviews }
}

export default defineTask({
  name: 'review-model-sentiment',
  // Mephisto's remote-procedure blueprint: the page gets
  // `{ task_data, previous_requests }`, so a reload reuses the model's answers.
  taskType: 'remote-procedure',
  page: 'dist',
  data: 'data.jsonl',
  assignmentDurationSeconds: 900,
  remoteProcedures: { predict },
  remoteProcedureTimeoutSeconds: 10,
  // The worker's language: 'en' or 'es' ship (docs/client.md "Worker messages and languages").
  locale: 'en',
  taskConfig: {
    task_title: 'Check a model’s sentiment labels',
    task_description:
      'A model has guessed the sentiment of each review. Confirm its label or pick the right one.',
  },
  bot: { unit: reviewBot },
  hooks: {
    onUnitSubmitted: ({ worker, unit, data }) => {
      console.log(`model-in-the-loop: ${worker.name} reviewed ${JSON.stringify(unit.data)}`, data)
    },
  },
})
