// The page's own words (buttons, labels, instructions), English and Spanish,
// built with the same mechanism as the client library's catalogue: the task
// picks the language with `defineTask({ locale })` and may override any key
// with `defineTask({ messages })`. The library's texts (refusals, statuses)
// come from `task.messages`.
import { createMessageBook, createPageMessages, type Messages } from '@faust/react'

const en = {
  'title.loading': 'Loading…',
  'title.untitled': 'Task',
  'loading.config': 'Loading the task…',
  'loading.unit': 'Finding a text for you…',
  'preview.note': 'preview: open the link with worker_id and assignment_id',
  'error.title': 'Something went wrong',
  'error.unknown': 'Something went wrong.',
  'error.retry': 'Retry',
  'thanks.title': 'Thank you!',
  'thanks.text': 'Your answer was submitted. You can close this page.',
  'onboarding.title': 'Onboarding quiz',
  'onboarding.instructions': 'Answer these questions before you start.',
  'onboarding.submit': 'Submit answers',
  'form.submitting': 'Submitting…',
  'task.heading': 'Text',
  'task.headingWithId': 'Text {id}',
  'task.question': 'What is the sentiment of this text?',
  'task.comment': 'Comment',
  'task.commentHint': '(optional)',
  'task.screenshot': 'Screenshot',
  'task.screenshotHint': '(optional, if something looks wrong)',
  'task.submit': 'Submit',
  'answer.label': 'Label',
  'answer.comment': 'Comment',
  'label.positive': 'Positive',
  'label.negative': 'Negative',
  'label.neutral': 'Neutral',
} as const

/** A key of this page's catalogue. */
export type PageMessageKey = keyof typeof en

const es: Readonly<Record<PageMessageKey, string>> = {
  'title.loading': 'Cargando…',
  'title.untitled': 'Tarea',
  'loading.config': 'Cargando la tarea…',
  'loading.unit': 'Buscando un texto para usted…',
  'preview.note': 'vista previa: abra el enlace con worker_id y assignment_id',
  'error.title': 'Algo salió mal',
  'error.unknown': 'Algo salió mal.',
  'error.retry': 'Reintentar',
  'thanks.title': '¡Gracias!',
  'thanks.text': 'Su respuesta se ha enviado. Puede cerrar esta página.',
  'onboarding.title': 'Cuestionario de entrada',
  'onboarding.instructions': 'Responda a estas preguntas antes de empezar.',
  'onboarding.submit': 'Enviar respuestas',
  'form.submitting': 'Enviando…',
  'task.heading': 'Texto',
  'task.headingWithId': 'Texto {id}',
  'task.question': '¿Qué sentimiento expresa este texto?',
  'task.comment': 'Comentario',
  'task.commentHint': '(opcional)',
  'task.screenshot': 'Captura de pantalla',
  'task.screenshotHint': '(opcional, si algo se ve mal)',
  'task.submit': 'Enviar',
  'answer.label': 'Etiqueta',
  'answer.comment': 'Comentario',
  'label.positive': 'Positivo',
  'label.negative': 'Negativo',
  'label.neutral': 'Neutro',
}

/** The page's texts: a catalogue per language, in a React context (@faust/react). */
const page = createPageMessages(createMessageBook<PageMessageKey>({ en, es }))

/** The page's texts in one language. */
export type PageMessages = Messages<PageMessageKey>

/** Provides the page's texts to every view below it. */
export const PageMessagesProvider = page.Provider

/** The page's texts in the task's language. */
export const usePageMessages = page.useMessages

/** The page's texts for a task config (`locale`, `messages`); marks the document's language. */
export const usePageMessagesFor = page.useMessagesFor
