// The experiment: a jsPsych 8 timeline that @faust/jspsych runs as a Faust
// unit. It registers the worker, gives the timeline the unit's block of
// data.jsonl, and submits every trial's data once the timeline ends; the
// worker sees "saved" only when the answers are stored.
import 'jspsych/css/jspsych.css'
import htmlButtonResponse from '@jspsych/plugin-html-button-response'
import { runFaustTimeline } from '@faust/jspsych'
import { initJsPsych } from 'jspsych'

const CHOICES = ['Word', 'Not a word']

await runFaustTimeline({
  initJsPsych,
  jsPsychOptions: { display_element: 'experiment' },
  timeline: (block) => [
    {
      type: htmlButtonResponse,
      stimulus: '<p>Is each letter string an English word?</p>',
      choices: ['Start'],
      data: { part: 'instructions' },
    },
    ...block.words.map((word) => ({
      type: htmlButtonResponse,
      stimulus: `<p style="font-size: 2rem">${word}</p>`,
      choices: CHOICES,
      data: { part: 'decision', word },
    })),
  ],
  trialData: 'final',
})
