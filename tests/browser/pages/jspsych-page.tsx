// A jsPsych experiment as a Faust task page, for the browser tests: keyboard
// trials over the unit's words, one button trial, and a one-question
// onboarding block. `?trial_data=live` sends each trial as a live update.
// The page writes the agent into <body data-agent> and how the run ended into
// <body data-result>, so the test can wait on them.
import { initJsPsych } from 'jspsych'
import htmlButtonResponse from '@jspsych/plugin-html-button-response'
import htmlKeyboardResponse from '@jspsych/plugin-html-keyboard-response'
import { runFaustTimeline } from '@faust/jspsych'

interface Item {
  readonly words: readonly string[]
}

interface Quiz {
  readonly question: string
  readonly choices: readonly string[]
}

const live = new URLSearchParams(location.search).get('trial_data') === 'live'

const result = await runFaustTimeline({
  initJsPsych,
  jsPsychOptions: { display_element: 'app' },
  trialData: live ? 'live-updates' : 'final',
  timeline: (data, { agentId, previousTrials }) => {
    const item = data as Item
    document.body.dataset['agent'] = agentId
    document.body.dataset['previousTrials'] = String(previousTrials.length)
    return [
      ...item.words.map((word) => ({
        type: htmlKeyboardResponse,
        stimulus: `<p class="word">${word}</p>`,
        choices: ['f', 'j'],
        data: { word },
      })),
      {
        type: htmlButtonResponse,
        stimulus: '<p class="confidence">How sure were you?</p>',
        choices: ['Unsure', 'Sure'],
      },
    ]
  },
  onboarding: (data) => {
    const quiz = data as Quiz
    return [
      {
        type: htmlButtonResponse,
        stimulus: `<p class="quiz">${quiz.question}</p>`,
        choices: [...quiz.choices],
      },
    ]
  },
})

document.body.dataset['result'] = result.status
