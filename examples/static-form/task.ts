// The task `faust run examples/static-form` loads: one short text per
// assignment, labelled positive / negative / neutral by a worker who has
// passed a three-question onboarding quiz.
import { defineTask, type BotUnitContext } from '@faust/backend'

const LABELS = [
  { value: 'positive', label: 'Positive' },
  { value: 'negative', label: 'Negative' },
  { value: 'neutral', label: 'Neutral' },
]

/** What the page shows before the first unit: no answers in here, they stay on the server. */
const quiz = {
  instructions:
    'Before you start, label these three examples. You need every answer right to continue.',
  questions: [
    { text: 'I love this phone, the battery lasts for days!', options: LABELS },
    { text: 'The package arrived broken and support never replied.', options: LABELS },
    { text: 'The meeting is on Tuesday at 3 pm in room 204.', options: LABELS },
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
    label: LABELS[Math.floor(random() * LABELS.length)]?.value ?? 'neutral',
    comment: '',
  }),
}

export default defineTask({
  name: 'label-sentiment',
  page: 'dist',
  data: 'data.jsonl',
  unitsPerAssignment: 1,
  // Per unit, in the platform's currency, on Prolific or MTurk (the mock provider pays nothing).
  pay: 0.6,
  assignmentDurationSeconds: 600,
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
