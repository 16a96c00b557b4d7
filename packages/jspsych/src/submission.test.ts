import { describe, expect, it } from 'vitest'
import { SUBMISSION_FORMAT, submissionOf, trialUpdateOf, unitDataOf } from './submission.js'

const trials = [
  { trial_type: 'html-keyboard-response', trial_index: 0, rt: 512, response: 'f', word: 'cat' },
  { trial_type: 'html-button-response', trial_index: 1, rt: 900, response: 1 },
]
const interactions = [{ event: 'blur', trial: 0, time: 1234 }]
const run = { mode: 'final', runId: 'run-1', startedAt: 1000 } as const

describe('submissionOf', () => {
  it('is the documented shape: format, trials, interactions, mode, run id, times', () => {
    expect(submissionOf({ trials, interactions }, run, 5000)).toEqual({
      format: SUBMISSION_FORMAT,
      trials,
      interactions,
      trial_data: 'final',
      run_id: 'run-1',
      started_at: 1000,
      finished_at: 5000,
    })
    expect(SUBMISSION_FORMAT).toBe('faust-jspsych/1')
  })

  it("copies the trials, so jsPsych's later changes do not reach a submission being sent", () => {
    const own = trials.map((trial) => ({ ...trial }))
    const submission = submissionOf({ trials: own, interactions: [] }, run, 5000)
    ;(own[0] as Record<string, unknown>)['rt'] = 1
    expect(submission.trials[0]).toMatchObject({ rt: 512 })
  })

  it('is plain JSON (what the client keeps for a reload)', () => {
    const submission = submissionOf({ trials, interactions }, run, 5000)
    expect(JSON.parse(JSON.stringify(submission))).toEqual(submission)
  })
})

describe('trialUpdateOf', () => {
  it('marks the trial with the run and its index, and a fixed update id', () => {
    expect(trialUpdateOf(trials[1] ?? {}, 'run-1', 1)).toEqual({
      faust_jspsych: 'trial',
      run_id: 'run-1',
      index: 1,
      trial: trials[1],
      update_id: 'run-1:1',
    })
  })
})

describe('unitDataOf', () => {
  const item = { words: ['cat', 'dog'] }

  it("'final': the init data is the item, whatever its shape", () => {
    expect(unitDataOf(item, 'final')).toEqual({ item, previousTrials: [] })
    const lookalike = { task_data: 1, past_live_updates: [] }
    expect(unitDataOf(lookalike, 'final')).toEqual({ item: lookalike, previousTrials: [] })
  })

  it("'live-updates': unwraps a concurrent task's init data and keeps the trials sent before", () => {
    const past = [
      { ...trialUpdateOf(trials[0] ?? {}, 'run-0', 0), timestamp: 12 },
      { text: 'a message from the task', timestamp: 13 },
      { faust_jspsych: 'trial', trial: 'not an object' },
    ]
    expect(unitDataOf({ task_data: item, past_live_updates: past }, 'live-updates')).toEqual({
      item,
      previousTrials: [trials[0]],
    })
    expect(unitDataOf(item, 'live-updates')).toEqual({ item, previousTrials: [] })
  })
})
