// The page's own words (buttons, labels, instructions), English and Spanish,
// built with the same mechanism as the client library's catalogue: the task
// picks the language with `defineTask({ locale })` and may override any key
// with `defineTask({ messages })`. The library's texts (refusals, statuses)
// come from the client (`task.blockedExplanation`, `messagesForTaskConfig`).
import { createMessageBook, createPageMessages, type Messages } from '@faust/react'

const en = {
  'title.loading': 'Loading…',
  'title.untitled': 'Task',
  'loading.config': 'Loading the task…',
  'loading.unit': 'Finding a chat for you…',
  'preview.note': 'preview: open the link with worker_id and assignment_id',
  'error.unknown': 'Something went wrong.',
  'error.retry': 'Retry',
  'thanks.title': 'Thank you!',
  'thanks.text': 'Your answer was submitted. You can close this page.',
  'waiting.text': 'Waiting for a partner to join…',
  'onboarding.title': 'Onboarding quiz',
  'onboarding.submit': 'Submit answers',
  'form.submitting': 'Submitting…',
  'chat.title': 'Chat',
  'chat.titleAs': 'Chat — you are {name}',
  'chat.topic': 'Topic:',
  'chat.me': 'You',
  'chat.partner': 'Partner',
  'chat.note': 'Note',
  'chat.message': 'Your message',
  'chat.send': 'Send',
  'chat.done': 'Done',
  'chat.waitingDone': 'Waiting for your partner to click Done…',
  'chat.partnerDone': 'Your partner clicked Done.',
  'submit.over': 'The chat is over. Please rate it and submit.',
  'submit.question': 'How was the conversation?',
  'submit.comment': 'Comment (optional)',
  'submit.button': 'Submit',
} as const

/** A key of this page's catalogue. */
export type PageMessageKey = keyof typeof en

const es: Readonly<Record<PageMessageKey, string>> = {
  'title.loading': 'Cargando…',
  'title.untitled': 'Tarea',
  'loading.config': 'Cargando la tarea…',
  'loading.unit': 'Buscando un chat para usted…',
  'preview.note': 'vista previa: abra el enlace con worker_id y assignment_id',
  'error.unknown': 'Algo salió mal.',
  'error.retry': 'Reintentar',
  'thanks.title': '¡Gracias!',
  'thanks.text': 'Su respuesta se ha enviado. Puede cerrar esta página.',
  'waiting.text': 'Esperando a que se una un compañero…',
  'onboarding.title': 'Cuestionario de entrada',
  'onboarding.submit': 'Enviar respuestas',
  'form.submitting': 'Enviando…',
  'chat.title': 'Chat',
  'chat.titleAs': 'Chat — usted es {name}',
  'chat.topic': 'Tema:',
  'chat.me': 'Usted',
  'chat.partner': 'Compañero',
  'chat.note': 'Aviso',
  'chat.message': 'Su mensaje',
  'chat.send': 'Enviar',
  'chat.done': 'Terminado',
  'chat.waitingDone': 'Esperando a que su compañero pulse Terminado…',
  'chat.partnerDone': 'Su compañero ha pulsado Terminado.',
  'submit.over': 'El chat ha terminado. Valórelo y envíe, por favor.',
  'submit.question': '¿Qué tal fue la conversación?',
  'submit.comment': 'Comentario (opcional)',
  'submit.button': 'Enviar',
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
