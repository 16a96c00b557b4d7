// The page's own words (buttons, labels, the model's lines), English and
// Spanish, built with the same mechanism as the client library's catalogue:
// the task picks the language with `defineTask({ locale })` and may override
// any key with `defineTask({ messages })`. The library's texts (refusals,
// statuses) come from the client.
import { createMessageBook, createPageMessages, type Messages } from '@faust/react'

const en = {
  'title.loading': 'Loading…',
  'title.untitled': 'Task',
  'loading.config': 'Loading the task…',
  'loading.unit': 'Finding reviews for you…',
  'preview.note': 'preview: open the link with worker_id and assignment_id',
  'error.title': 'Something went wrong',
  'error.unknown': 'Something went wrong.',
  'error.retry': 'Retry',
  'thanks.title': 'Thank you!',
  'thanks.text': 'Your answer was submitted. You can close this page.',
  'task.submit': 'Submit',
  'review.name': 'Review {id}',
  'review.yourLabel': 'Your label',
  'model.asking': 'Asking the model…',
  'model.failed': 'The model could not answer: {message}. Please label this one yourself.',
  'model.says': 'The model says',
  'model.confidence': '(confidence {percent}%)',
  'model.because': ' because of: {words}',
  'model.positive': 'positive',
  'model.negative': 'negative',
  'model.neutral': 'neutral',
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
  'loading.unit': 'Buscando reseñas para usted…',
  'preview.note': 'vista previa: abra el enlace con worker_id y assignment_id',
  'error.title': 'Algo salió mal',
  'error.unknown': 'Algo salió mal.',
  'error.retry': 'Reintentar',
  'thanks.title': '¡Gracias!',
  'thanks.text': 'Su respuesta se ha enviado. Puede cerrar esta página.',
  'task.submit': 'Enviar',
  'review.name': 'Reseña {id}',
  'review.yourLabel': 'Su etiqueta',
  'model.asking': 'Consultando al modelo…',
  'model.failed':
    'El modelo no pudo responder: {message}. Etiquete esta reseña usted mismo, por favor.',
  'model.says': 'El modelo dice',
  'model.confidence': '(confianza {percent} %)',
  'model.because': ' por: {words}',
  'model.positive': 'positivo',
  'model.negative': 'negativo',
  'model.neutral': 'neutro',
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
