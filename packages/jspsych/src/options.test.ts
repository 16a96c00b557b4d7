import { describe, expect, it } from 'vitest'
import { optionProblems } from './options.js'

const initJsPsych = (): never => {
  throw new Error('not called')
}
const timeline = (): unknown[] => []

describe('optionProblems', () => {
  it('accepts the smallest options and every documented one', () => {
    expect(optionProblems({ initJsPsych, timeline })).toEqual([])
    expect(
      optionProblems({
        initJsPsych,
        timeline,
        onboarding: timeline,
        trialData: 'live-updates',
        jsPsychOptions: { display_element: 'app' },
      }),
    ).toEqual([])
    expect(optionProblems({ initJsPsych, timeline, trialData: 'final' })).toEqual([])
  })

  it('names each problem of options from plain JavaScript', () => {
    expect(optionProblems(undefined)).toEqual(['runFaustTimeline needs an options object'])
    expect(optionProblems([])).toEqual(['runFaustTimeline needs an options object'])
    expect(
      optionProblems({
        initJsPsych: {},
        timeline: [],
        onboarding: [],
        trialData: 'live',
        jsPsychOptions: 'app',
      }),
    ).toEqual([
      "initJsPsych must be jsPsych's initJsPsych function",
      'timeline must be a function of the data item that returns a timeline array',
      'onboarding must be a function that returns a timeline array, or left out',
      "trialData must be 'live-updates' or 'final', not \"live\"",
      'jsPsychOptions must be an object of initJsPsych options, or left out',
    ])
  })
})
