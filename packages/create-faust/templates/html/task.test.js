// The task, tested as it runs: `startTask` starts it on a router at 127.0.0.1
// with a throwaway store, and each bot is a page in Node (no browser).
import { afterEach, describe, expect, it } from 'vitest'
import { startTask } from '@faust/testing/task'
import task from './task.js'

describe('the task', () => {
  let h
  // Closes the router and the backend, and removes the throwaway store.
  afterEach(async () => {
    await h?.[Symbol.asyncDispose]()
  })

  it('gives each worker a sentence and stores their judgement', async () => {
    h = await startTask(task, { baseDir: import.meta.dirname })
    const alice = await h.worker('alice')
    const bob = await h.worker('bob')

    expect(await alice.register()).toMatchObject({
      accepted: true,
      initTaskData: { id: 's1', text: 'The cat sat on the mat.' },
    })
    expect(await bob.register()).toMatchObject({ accepted: true, initTaskData: { id: 's2' } })
    await alice.submit({ grammatical: 'yes', comment: '' })
    await bob.submit({ grammatical: 'no', comment: 'subject and verb disagree' })

    expect(await h.results()).toMatchObject([
      { worker: 'alice', item: { id: 's1' }, data: { grammatical: 'yes' }, status: 'completed' },
      { worker: 'bob', item: { id: 's2' }, data: { grammatical: 'no' }, status: 'completed' },
    ])
  })

  it('turns workers away once every sentence is taken, and ends when all are judged', async () => {
    h = await startTask(task, { baseDir: import.meta.dirname })
    const workers = []
    for (const name of ['w1', 'w2', 'w3', 'w4', 'w5']) {
      const worker = await h.worker(name)
      expect(await worker.register()).toMatchObject({ accepted: true })
      workers.push(worker)
    }
    // Asked while the five are still at work: once they have all submitted, the run ends.
    const late = await h.worker('late')
    expect(await late.register()).toMatchObject({ accepted: false })

    for (const worker of workers) await worker.submit({ grammatical: 'yes', comment: '' })
    expect(await h.results()).toHaveLength(5)
    await h.done()
  })
})
