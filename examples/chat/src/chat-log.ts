// The chat's state, built from live updates only: what the task sends and,
// after a reload, the page's own past messages (`past_live_updates`, docs/protocol.md §7.3).
// Pure functions; the views render what they return.

export interface ChatMessage {
  /** `update_id`: React's key, and what makes a replayed message count once. */
  readonly id: string
  readonly sender: 'me' | 'partner' | 'system'
  readonly text: string
  /** A note's kind (`partner_done`), for the page to say in the worker's language; else the text. */
  readonly event?: string
}

export interface ChatLog {
  readonly messages: readonly ChatMessage[]
  readonly displayName: string | null
  readonly topic: string | null
  /** This worker clicked Done. */
  readonly iAmDone: boolean
  /** The task's `run` returned: the chat is over, submit now. */
  readonly taskDone: boolean
}

export const EMPTY_LOG: ChatLog = {
  messages: [],
  displayName: null,
  topic: null,
  iAmDone: false,
  taskDone: false,
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Folds one live update into the log. From the task: `{ sender, text }`
 * messages and `{ task_data: {...} }` notes. The page's own updates (`{ text }`
 * or `{ done: true }`, no `sender`) come back only in a reload's history.
 */
export function applyUpdate(log: ChatLog, update: Readonly<Record<string, unknown>>): ChatLog {
  const id = typeof update['update_id'] === 'string' ? update['update_id'] : crypto.randomUUID()
  if (log.messages.some((message) => message.id === id)) return log
  const taskData = update['task_data']
  if (isRecord(taskData)) {
    return {
      ...log,
      displayName:
        typeof taskData['agent_display_name'] === 'string'
          ? taskData['agent_display_name']
          : log.displayName,
      topic: typeof taskData['topic'] === 'string' ? taskData['topic'] : log.topic,
      taskDone: log.taskDone || taskData['task_done'] === true,
    }
  }
  if (update['done'] === true) return { ...log, iAmDone: true }
  if (typeof update['text'] !== 'string') return log
  const sender =
    update['sender'] === 'partner' ? 'partner' : update['sender'] === 'system' ? 'system' : 'me'
  const event = typeof update['event'] === 'string' ? { event: update['event'] } : {}
  return { ...log, messages: [...log.messages, { id, sender, text: update['text'], ...event }] }
}

/** A quiz question, as `task.ts` sends it. */
export interface QuizQuestion {
  readonly text: string
  readonly options: readonly { readonly value: string; readonly label: string }[]
}

/** The onboarding quiz from `init_task_data`; empty when malformed. */
export function readQuiz(
  data: unknown,
  locale = 'en',
): {
  instructions: string
  questions: readonly QuizQuestion[]
} {
  if (!isRecord(data) || !Array.isArray(data['questions']))
    return { instructions: '', questions: [] }
  const questions: QuizQuestion[] = []
  for (const question of data['questions'] as unknown[]) {
    if (!isRecord(question) || !Array.isArray(question['options'])) continue
    const text = localized(question['text'], locale)
    if (text === null) continue
    const options = (question['options'] as unknown[]).filter(isRecord).map((option) => ({
      value: String(option['value']),
      label: localized(option['label'], locale) ?? String(option['value']),
    }))
    questions.push({ text, options })
  }
  return { instructions: localized(data['instructions'], locale) ?? '', questions }
}

/**
 * A text of the task's data in `locale`: a plain string, or one per language
 * (`{ en: '…', es: '…' }`), English when the language is missing.
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

/** `init_task_data.task_data.topic` of a chat agent, if any. */
export function readTopic(initialTaskData: unknown): string | null {
  if (!isRecord(initialTaskData) || !isRecord(initialTaskData['task_data'])) return null
  const topic = initialTaskData['task_data']['topic']
  return typeof topic === 'string' ? topic : null
}
