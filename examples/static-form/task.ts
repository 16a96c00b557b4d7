// The task `faust run examples/static-form` loads: one short text per
// assignment, labelled positive / negative / neutral by a worker who has
// passed a three-question onboarding quiz.
import { defineTask, type BotUnitContext } from '@faust/backend'

/** The labels' values; the page shows them in the worker's language. */
const LABELS = ['positive', 'negative', 'neutral']

/**
 * What the page shows before the first unit: no answers in here, they stay on
 * the server. Each text in every language the task offers; the page shows the
 * one of `locale` (English when missing) and its own translated labels.
 */
const quiz = {
  instructions: {
    en: 'Before you start, label these three examples. You need every answer right to continue.',
    es: 'Antes de empezar, etiquete estos tres ejemplos. Necesita acertar todas las respuestas para continuar.',
  },
  questions: [
    {
      text: {
        en: 'I love this phone, the battery lasts for days!',
        es: '¡Me encanta este teléfono, la batería dura días!',
      },
    },
    {
      text: {
        en: 'The package arrived broken and support never replied.',
        es: 'El paquete llegó roto y el servicio de atención nunca respondió.',
      },
    },
    {
      text: {
        en: 'The meeting is on Tuesday at 3 pm in room 204.',
        es: 'La reunión es el martes a las 15:00 en la sala 204.',
      },
    },
  ],
}

/** The right answer to question `q<i>`. */
const ANSWERS = ['positive', 'negative', 'neutral']

/** The page submits `{ q0: 'positive', q1: …, q2: … }`. */
function passesQuiz(outputs: unknown): boolean {
  if (typeof outputs !== 'object' || outputs === null) return false
  const answers = outputs as Record<string, unknown>
  return ANSWERS.every((answer, index) => answers[`q${index}`] === answer)
}

/** A simulated worker (`faust simulate`): passes the quiz, then picks a label at random. */
const bot = {
  onboarding: () => Object.fromEntries(ANSWERS.map((answer, index) => [`q${index}`, answer])),
  unit: ({ random }: BotUnitContext) => ({
    label: LABELS[Math.floor(random() * LABELS.length)] ?? 'neutral',
    comment: '',
  }),
}

export default defineTask({
  name: 'label-sentiment',
  page: 'dist',
  // The console's review queue shows each submission through this component.
  review: 'src/review.tsx',
  data: 'data.jsonl',
  unitsPerAssignment: 1,
  // Per unit, in the platform's currency, on Prolific or MTurk (the mock provider pays nothing).
  pay: 0.6,
  assignmentDurationSeconds: 600,
  // The worker's language: 'en' or 'es' ship (docs/client.md "Worker messages and languages").
  locale: 'en',
  taskConfig: {
    task_title: 'Label the sentiment of short texts',
    task_description:
      'Read a short text and say whether it is positive, negative or neutral. ' +
      'You may add a comment and attach a screenshot if something looks wrong.',
  },
  onboarding: {
    data: quiz,
    validate: ({ outputs }) => passesQuiz(outputs),
  },
  bot,
  hooks: {
    onUnitSubmitted: ({ worker, unit, data }) => {
      console.log(`label-sentiment: ${worker.name} labelled ${JSON.stringify(unit.data)}`, data)
    },
  },
})
