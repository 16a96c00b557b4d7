// What the worker sees in each state. Views only render and report what was
// entered; main.ts decides which REST call follows.
import { byId, h } from './dom.js'
import { isRecord, type TaskConfig } from './mephisto-rest.js'

export type PageState =
  'loading' | 'preview' | 'blocked' | 'error' | 'onboarding' | 'task' | 'submitting' | 'thanks'

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

/** What the worker entered on the task form. */
export interface TaskAnswer {
  readonly label: string
  readonly comment: string
  readonly screenshot: File | null
}

/** Answers to the quiz, keyed by the input names `q0`, `q1`, … */
export type QuizAnswers = Record<string, string>

/** Called with what was entered; a rejection shows its message and keeps the form. */
export type Submit<T> = (value: T) => Promise<void>

const PREVIEW_NOTE = 'preview: open the link with worker_id and assignment_id'

export function showHeader(config: TaskConfig): void {
  const title = typeof config.task_title === 'string' ? config.task_title : 'Task'
  byId('task-title').textContent = title
  document.title = title
  byId('task-description').textContent =
    typeof config.task_description === 'string' ? config.task_description : ''
}

export function showLoading(message: string): void {
  render('loading', h('p', { class: 'status', role: 'status', 'data-testid': 'loading' }, message))
}

/** A preview never registers: the description (in the header) and how to start. */
export function showPreview(): void {
  render(
    'preview',
    h(
      'section',
      { class: 'card note', id: 'preview', 'data-testid': 'preview' },
      h('p', {}, PREVIEW_NOTE),
    ),
  )
}

/** The backend's `failure_reason`, verbatim. */
export function showBlocked(reason: string): void {
  render(
    'blocked',
    h(
      'section',
      { class: 'card blocked', 'aria-labelledby': 'blocked-heading' },
      h('h2', { id: 'blocked-heading' }, 'You cannot work on this task right now'),
      h('p', { id: 'blocked', role: 'alert' }, reason),
    ),
  )
}

/** A call failed before the worker got anything to do: the message and a Retry button. */
export function showFatalError(message: string, retry: () => void): void {
  const button = h('button', { type: 'button', id: 'retry', class: 'secondary' }, 'Retry')
  button.addEventListener('click', retry, { once: true })
  render(
    'error',
    h(
      'section',
      { class: 'card failure', 'aria-labelledby': 'error-heading' },
      h('h2', { id: 'error-heading' }, 'Something went wrong'),
      errorLine(message),
      button,
    ),
  )
  button.focus()
}

export function showThanks(): void {
  render(
    'thanks',
    h(
      'section',
      { class: 'card success', id: 'thanks', role: 'status', tabindex: '-1' },
      h('h2', {}, 'Thank you!'),
      h('p', {}, 'Your answer was submitted. You can close this page.'),
    ),
  )
  byId('thanks').focus()
}

interface QuizQuestion {
  readonly text: string
  readonly options: readonly LabelOption[]
}

/** The onboarding quiz from `init_task_data` (the task's `onboarding.data`). */
export function showOnboarding(quiz: unknown, submit: Submit<QuizAnswers>): void {
  const { instructions, questions } = readQuiz(quiz)
  const button = h(
    'button',
    { type: 'submit', id: 'onboarding-submit', disabled: questions.length > 0 },
    'Submit answers',
  )
  const form = h(
    'form',
    { id: 'onboarding-form', novalidate: true, 'aria-labelledby': 'onboarding-heading' },
    h('h2', { id: 'onboarding-heading' }, 'Onboarding quiz'),
    h('p', {}, instructions),
    ...questions.map((question, index) =>
      radioGroup({
        name: `q${index}`,
        legend: `${index + 1}. “${question.text}”`,
        options: question.options,
      }),
    ),
    h('div', { class: 'actions' }, button),
  )
  const answers = (): QuizAnswers | null => {
    const data = new FormData(form)
    const entries = questions.map((_, index) => [`q${index}`, data.get(`q${index}`)] as const)
    if (entries.some(([, value]) => typeof value !== 'string')) return null
    return Object.fromEntries(entries) as QuizAnswers
  }
  form.addEventListener('change', () => {
    button.disabled = answers() === null
  })
  onSubmit({
    form,
    button,
    state: 'onboarding',
    action: async () => {
      const value = answers()
      if (value !== null) await submit(value)
    },
  })
  render('onboarding', form)
}

/** One unit: the text, the label, an optional comment and an optional screenshot. */
export function showTask(item: unknown, submit: Submit<TaskAnswer>): void {
  const { id, text } = readItem(item)
  const button = h('button', { type: 'submit', id: 'submit', disabled: true }, 'Submit')
  const comment = h('textarea', { id: 'comment', name: 'comment', rows: '3', maxlength: '2000' })
  const screenshot = h('input', { type: 'file', id: 'screenshot', name: 'screenshot' })
  screenshot.accept = 'image/*'
  const form = h(
    'form',
    { id: 'task-form', novalidate: true, 'aria-labelledby': 'task-heading' },
    h('h2', { id: 'task-heading' }, id === null ? 'Text' : `Text ${id}`),
    h('blockquote', { id: 'task-text', 'data-testid': 'task-text' }, text),
    radioGroup({ name: 'label', legend: 'What is the sentiment of this text?', options: LABELS }),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'comment' }, 'Comment ', h('span', { class: 'hint' }, '(optional)')),
      comment,
    ),
    h(
      'div',
      { class: 'field' },
      h(
        'label',
        { for: 'screenshot' },
        'Screenshot ',
        h('span', { class: 'hint' }, '(optional, if something looks wrong)'),
      ),
      screenshot,
    ),
    h('div', { class: 'actions' }, button),
  )
  const label = (): string | null => {
    const value = new FormData(form).get('label')
    return typeof value === 'string' ? value : null
  }
  form.addEventListener('change', () => {
    button.disabled = label() === null
  })
  onSubmit({
    form,
    button,
    state: 'task',
    action: async () => {
      const value = label()
      if (value === null) return
      const file = screenshot.files?.[0] ?? null
      await submit({ label: value, comment: comment.value, screenshot: file })
    },
  })
  render('task', form)
}

function radioGroup(options: {
  name: string
  legend: string
  options: readonly LabelOption[]
}): HTMLFieldSetElement {
  return h(
    'fieldset',
    { class: 'choices' },
    h('legend', {}, options.legend),
    ...options.options.map((option) => {
      const id = `${options.name}-${option.value}`
      return h(
        'div',
        { class: 'choice' },
        h('input', { type: 'radio', id, name: options.name, value: option.value, required: true }),
        h('label', { for: id }, option.label),
      )
    }),
  )
}

/**
 * Runs `action` on submit with the button disabled; on failure shows the
 * message in `#error` and gives the form back.
 */
function onSubmit(options: {
  form: HTMLFormElement
  button: HTMLButtonElement
  /** The state to return to after a failure. */
  state: PageState
  action: () => Promise<void>
}): void {
  const { form, button, state, action } = options
  const idle = button.textContent
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    if (button.disabled) return
    form.querySelector('#error')?.remove()
    button.disabled = true
    button.textContent = 'Submitting…'
    form.setAttribute('aria-busy', 'true')
    setState('submitting')
    action().catch((error: unknown) => {
      // Still on the page (a success replaces it): report and let the worker try again.
      if (!form.isConnected) return
      form.removeAttribute('aria-busy')
      button.textContent = idle
      button.disabled = false
      setState(state)
      const message = error instanceof Error ? error.message : String(error)
      const anchor = button.closest('.actions') ?? button
      anchor.before(errorLine(message))
    })
  })
}

function errorLine(message: string): HTMLParagraphElement {
  return h('p', { id: 'error', class: 'error', role: 'alert' }, message)
}

function render(state: PageState, ...content: Node[]): void {
  byId('content').replaceChildren(...content)
  setState(state)
}

/** `data-state` on `<main>`: what a browser test waits for. */
function setState(state: PageState): void {
  const main = byId('app')
  main.dataset['state'] = state
  main.setAttribute('aria-busy', String(state === 'loading' || state === 'submitting'))
}

function readItem(item: unknown): { id: string | null; text: string } {
  if (isRecord(item) && typeof item['text'] === 'string') {
    const id = item['id']
    return {
      id: typeof id === 'string' || typeof id === 'number' ? String(id) : null,
      text: item['text'],
    }
  }
  return { id: null, text: JSON.stringify(item) }
}

function readQuiz(quiz: unknown): { instructions: string; questions: QuizQuestion[] } {
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
