// The task `npx faust run .` serves: a short lexical decision experiment in
// jsPsych. Each assignment is one block of data.jsonl: the worker sees its
// words one at a time and says whether each is an English word.
// `faust run` builds the page into dist/ (`npm run build`) when it is missing.
import { defineTask } from '@faust/backend'

export default defineTask({
  name: '{{name}}',
  page: 'dist',
  // One line = one block = one assignment: {"id": "b1", "words": ["house", "blick", …]}
  data: 'data.jsonl',
  unitsPerAssignment: 1,
  // Per unit, in the crowd platform's currency (the local mock provider pays nothing).
  pay: 0.2,
  assignmentDurationSeconds: 600,
  taskConfig: {
    task_title: 'Word or not?',
    task_description:
      'You will see a few letter strings. Say for each whether it is an English word.',
  },
  // A simulated worker for `npx faust simulate .`: submits what the page submits
  // (@faust/jspsych's "faust-jspsych/1" shape), with random answers.
  bot: { unit: ({ data, random }) => botRun(data.words, random) },
  hooks: {
    onUnitSubmitted: ({ worker, unit, data }) => {
      console.log(`${worker.name} finished block ${unit.data.id}: ${data.trials.length} trials`)
    },
  },
})

function botRun(words, random) {
  const trials = words.map((word, index) => ({
    trial_type: 'html-button-response',
    trial_index: index,
    word,
    response: random() < 0.5 ? 0 : 1,
    rt: Math.round(400 + random() * 800),
  }))
  const now = Date.now()
  return {
    format: 'faust-jspsych/1',
    trials,
    interactions: [],
    trial_data: 'final',
    run_id: `bot-${String(now)}`,
    started_at: now,
    finished_at: now,
  }
}
