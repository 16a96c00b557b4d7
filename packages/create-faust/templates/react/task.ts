// The task `npx faust run .` serves: one sentence per assignment, and the
// worker says whether it is grammatical. `faust run` builds the page into
// dist/ (`npm run build`) when it is missing.
import { defineTask, type BotUnitContext } from '@faust/backend'

/** One line of data.jsonl: one sentence, one assignment. */
export interface Sentence {
  readonly id: string
  readonly text: string
}

/** What the page submits (src/app.tsx). */
export interface Judgement {
  readonly grammatical: 'yes' | 'no'
  readonly comment: string
}

/** A simulated worker for `npx faust simulate .`: answers at random. */
function botAnswer({ random }: BotUnitContext): Judgement {
  return { grammatical: random() < 0.5 ? 'yes' : 'no', comment: '' }
}

export default defineTask({
  name: '{{name}}',
  page: 'dist',
  data: 'data.jsonl',
  unitsPerAssignment: 1,
  // Per unit, in the crowd platform's currency (the local mock provider pays nothing).
  pay: 0.1,
  assignmentDurationSeconds: 300,
  taskConfig: {
    task_title: 'Is this sentence grammatical?',
    task_description: 'Read one English sentence and say whether it is grammatical.',
  },
  bot: { unit: botAnswer },
  hooks: {
    onUnitSubmitted: ({ worker, unit, data }) => {
      console.log(`${worker.name} judged ${JSON.stringify(unit.data)}:`, data)
    },
  },
})
