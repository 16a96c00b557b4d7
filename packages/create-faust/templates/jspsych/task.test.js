// The task, tested as it runs: `startTask` starts it on a router at 127.0.0.1
// with a throwaway store, and each bot is a page in Node (no browser) that
// submits what the jsPsych page submits.
import { afterEach, describe, expect, it } from 'vitest'
import { startTask } from '@faust/testing/task'
import task from './task.js'

/** What @faust/jspsych submits after the timeline: here, the decisions on `words`. */
function runOf(words, response) {
  return {
    format: 'faust-jspsych/1',
    trials: words.map((word, index) => ({ trial_index: index + 1, word, response, rt: 500 })),
    interactions: [],
    trial_data: 'final',
    run_id: 'test-run',
    started_at: 0,
    finished_at: 1000,
  }
}

describe('the task', () => {
  let h
  // Closes the router and the backend, and removes the throwaway store.
  afterEach(async () => {
    await h?.[Symbol.asyncDispose]()
  })

  it('gives each worker a block of words and stores their trials', async () => {
    h = await startTask(task, { baseDir: import.meta.dirname })
    const alice = await h.worker('alice')
    const unit = await alice.register()
    expect(unit).toMatchObject({ accepted: true, initTaskData: { id: 'b1' } })

    await alice.submit(runOf(unit.initTaskData.words, 0))
    const [result] = await h.results()
    expect(result).toMatchObject({ worker: 'alice', item: { id: 'b1' }, status: 'completed' })
    expect(result.data.trials.map((trial) => trial.word)).toEqual([
      'house',
      'blick',
      'river',
      'plome',
    ])
  })

  it('turns workers away once every block is taken, and ends when all are done', async () => {
    h = await startTask(task, { baseDir: import.meta.dirname })
    const started = []
    for (const name of ['w1', 'w2', 'w3', 'w4', 'w5']) {
      const worker = await h.worker(name)
      started.push({ worker, unit: await worker.register() })
    }
    // Asked while the five are still at work: once they have all submitted, the run ends.
    const late = await h.worker('late')
    expect(await late.register()).toMatchObject({ accepted: false })

    for (const { worker, unit } of started) {
      await worker.submit(runOf(unit.initTaskData.words, 1))
    }
    expect(await h.results()).toHaveLength(5)
    await h.done()
  })
})
