// A jsPsych experiment as a Faust task page, for the browser tests: keyboard
// trials over the unit's words, one button trial, and a one-question
// onboarding block. Query switches: `?trial_data=live` sends each trial as a
// live update; `?fail=stimulus|on_finish` makes the "dog" trial throw there;
// `?onboarding=none` passes no onboarding block; `?submit_attempts=n` gives up
// a submission after n tries (the retries without waiting).
// The page writes the agent into <body data-agent> and how the run ended into
// <body data-result> (and data-stage, data-agent-status), so the test can wait on them.
import { initJsPsych, type JsPsych } from 'jspsych'
import htmlButtonResponse from '@jspsych/plugin-html-button-response'
import htmlKeyboardResponse from '@jspsych/plugin-html-keyboard-response'
import { createTaskClient } from '@faust/client'
import { runFaustTimeline } from '@faust/jspsych'

/** jsPsych's own trial type (the package does not export it by name). */
type Trial = Extract<Parameters<JsPsych['run']>[0], readonly unknown[]>[number]

interface Item {
  readonly words: readonly string[]
}

interface Quiz {
  readonly question: string
  readonly choices: readonly string[]
}

const query = new URLSearchParams(location.search)
const live = query.get('trial_data') === 'live'
const fail = query.get('fail')
const attempts = query.get('submit_attempts')

/** The "dog" trial's failure, thrown where `?fail=` says. */
function broken(where: string): never {
  throw new Error(`the ${where} of the dog trial broke`)
}

function wordTrial(word: string): Trial {
  const trial = {
    type: htmlKeyboardResponse,
    stimulus: `<p class="word">${word}</p>`,
    choices: ['f', 'j'],
    data: { word },
  }
  if (word !== 'dog' || fail === null) return trial
  return fail === 'stimulus'
    ? { ...trial, stimulus: () => broken('stimulus') }
    : { ...trial, on_finish: () => broken('on_finish') }
}

const onboarding = (data: unknown): Trial[] => {
  const quiz = data as Quiz
  return [
    {
      type: htmlButtonResponse,
      stimulus: `<p class="quiz">${quiz.question}</p>`,
      choices: [...quiz.choices],
    },
  ]
}

const result = await runFaustTimeline({
  initJsPsych,
  jsPsychOptions: { display_element: 'app' },
  trialData: live ? 'live-updates' : 'final',
  ...(attempts === null
    ? {}
    : {
        client: createTaskClient({
          live,
          submitMaxAttempts: Number(attempts),
          maxRetryDelayMs: 0,
        }),
      }),
  timeline: (data, { agentId, previousTrials }) => {
    const item = data as Item
    document.body.dataset['agent'] = agentId
    document.body.dataset['previousTrials'] = String(previousTrials.length)
    return [
      ...item.words.map(wordTrial),
      {
        type: htmlButtonResponse,
        stimulus: '<p class="confidence">How sure were you?</p>',
        choices: ['Unsure', 'Sure'],
      },
    ]
  },
  ...(query.get('onboarding') === 'none' ? {} : { onboarding }),
})

document.body.dataset['stage'] = 'stage' in result ? result.stage : ''
document.body.dataset['agentStatus'] = 'agentStatus' in result ? result.agentStatus : ''
document.body.dataset['result'] = result.status
