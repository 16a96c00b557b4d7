// Reading what the backend sends (`init_task_data`): the onboarding quiz and
// one text to label. Pure functions; the views render what they return.

import type { PageMessageKey, PageMessages } from './messages.js'

export interface LabelOption {
  readonly value: string
  readonly label: string
}

/** The sentiment labels of the task (the radio values tests drive), in English. */
export const LABELS: readonly LabelOption[] = [
  { value: 'positive', label: 'Positive' },
  { value: 'negative', label: 'Negative' },
  { value: 'neutral', label: 'Neutral' },
]

/** The labels in the page's language (`label.<value>` of its catalogue). */
export function translatedLabels(t: PageMessages): readonly LabelOption[] {
  return LABELS.map(({ value }) => ({
    value,
    label: t.text(`label.${value}` as PageMessageKey),
  }))
}

export interface QuizQuestion {
  readonly text: string
  readonly options: readonly LabelOption[]
}

export interface Quiz {
  /** Null when the task gives none: the page says its own. */
  readonly instructions: string | null
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

/**
 * A text of the task's data in `locale`: a plain string, or one per language
 * (`{ en: '…', es: '…' }`, as the task's quiz is written), English when the
 * language is missing; null when there is none.
 */
export function localized(value: unknown, locale: string): string | null {
  if (typeof value === 'string') return value
  if (!isRecord(value)) return null
  for (const tag of [locale, locale.split('-')[0] ?? locale, 'en']) {
    const text = value[tag]
    if (typeof text === 'string') return text
  }
  return null
}

/** The onboarding quiz from `init_task_data` (the task's `onboarding.data`), in `locale`. */
export function readQuiz(
  quiz: unknown,
  locale = 'en',
  labels: readonly LabelOption[] = LABELS,
): Quiz {
  const data = isRecord(quiz) ? quiz : {}
  const questions = Array.isArray(data['questions']) ? (data['questions'] as unknown[]) : []
  return {
    instructions: localized(data['instructions'], locale),
    questions: questions.map((question) => {
      const record = isRecord(question) ? question : {}
      return {
        text: localized(record['text'], locale) ?? JSON.stringify(question),
        options: readOptions(record['options'], labels),
      }
    }),
  }
}

/** `[{ value, label }]` or `['positive', …]`; the page's labels when absent. */
function readOptions(options: unknown, labels: readonly LabelOption[]): readonly LabelOption[] {
  if (!Array.isArray(options) || options.length === 0) return labels
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
