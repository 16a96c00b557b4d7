// The task `npx faust run .` serves: one sentence per assignment, and the
// worker says whether it is grammatical. The page is page/, as it is: no build.
import { defineTask } from '@faust/backend'

export default defineTask({
  name: '{{name}}',
  page: 'page',
  // One line = one sentence = one assignment: {"id": "s1", "text": "…"}
  data: 'data.jsonl',
  unitsPerAssignment: 1,
  // Per unit, in the crowd platform's currency (the local mock provider pays nothing).
  pay: 0.1,
  assignmentDurationSeconds: 300,
  taskConfig: {
    task_title: 'Is this sentence grammatical?',
    task_description: 'Read one English sentence and say whether it is grammatical.',
  },
  // A simulated worker for `npx faust simulate .`: answers what page/app.js submits, at random.
  bot: {
    unit: ({ random }) => ({ grammatical: random() < 0.5 ? 'yes' : 'no', comment: '' }),
  },
  hooks: {
    onUnitSubmitted: ({ worker, unit, data }) => {
      console.log(`${worker.name} judged ${JSON.stringify(unit.data)}:`, data)
    },
  },
})
