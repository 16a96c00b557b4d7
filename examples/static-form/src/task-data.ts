// Reading what the backend sends (`init_task_data`): the onboarding quiz and
// one text to label. Pure functions; the views render what they return.

export interface LabelOption {
  readonly value: string
  readonly label: string
}

/** The sentiment labels of the task (the radio values tests drive). */
export const LABELS: readonly LabelOption[] = [
  { value: 'positive', label: 'Positive' },
  { value: 'negative', label: 'Negative' },
  { value: 'neutral', label: 'Neutral' },
]

export interface QuizQuestion {
  readonly text: string
  readonly options: readonly LabelOption[]
}

export interface Quiz {
  readonly instructions: string
  readonly questions: readonly QuizQuestion[]
}

/** One unit's data: `{ id, text }` (`data.jsonl`). */
export interface TaskItem {
  readonly id: string | null
  readonly text: string
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The text to label; anything else is shown as JSON. */
export function readItem(item: unknown): TaskItem {
  if (isRecord(item) && typeof item['text'] === 'string') {
    const id = item['id']
    return {
      id: typeof id === 'string' || typeof id === 'number' ? String(id) : null,
      text: item['text'],
    }
  }
  return { id: null, text: JSON.stringify(item) }
}

/** The onboarding quiz from `init_task_data` (the task's `onboarding.data`). */
export function readQuiz(quiz: unknown): Quiz {
  const data = isRecord(quiz) ? quiz : {}
  const instructions =
    typeof data['instructions'] === 'string'
      ? data['instructions']
      : 'Answer these questions before you start.'
  const questions = Array.isArray(data['questions']) ? (data['questions'] as unknown[]) : []
  return {
    instructions,
    questions: questions.map((question) => {
      const record = isRecord(question) ? question : {}
      return {
        text: typeof record['text'] === 'string' ? record['text'] : JSON.stringify(question),
        options: readOptions(record['options']),
      }
    }),
  }
}

/** `[{ value, label }]` or `['positive', …]`; the task's labels when absent. */
function readOptions(options: unknown): readonly LabelOption[] {
  if (!Array.isArray(options) || options.length === 0) return LABELS
  return options.map((option: unknown) => {
    if (typeof option === 'string') return { value: option, label: option }
    const record = isRecord(option) ? option : {}
    const value = typeof record['value'] === 'string' ? record['value'] : JSON.stringify(option)
    const label = typeof record['label'] === 'string' ? record['label'] : value
    return { value, label }
  })
}

/** A caught value's message. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
