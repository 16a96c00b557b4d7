import { describe, expect, it } from 'vitest'
import type { RunProgress } from './launcher.js'
import { RunProgressTracker } from './run-progress.js'

const progress = (completed: number, done = false): RunProgress => ({
  total: 2,
  waiting: 0,
  launched: 2 - completed,
  inProgress: 0,
  completed,
  expired: 0,
  activeWorkers: 0,
  done,
})

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
}

describe('RunProgressTracker', () => {
  it('folds the changes of one window into one count, and tells the listeners', async () => {
    let counts = 0
    const tracker = new RunProgressTracker(() => {
      counts += 1
      return Promise.resolve(progress(counts))
    }, silent)
    const heard: number[] = []
    tracker.listen((seen) => heard.push(seen.completed))
    tracker.schedule()
    tracker.schedule()
    tracker.schedule()
    await tracker.settled()
    expect(counts).toBe(1)
    expect(heard).toEqual([1])
  })

  it('resolves done once a count says the run is done', async () => {
    const tracker = new RunProgressTracker(() => Promise.resolve(progress(2, true)), silent)
    tracker.schedule()
    await expect(tracker.done).resolves.toMatchObject({ completed: 2, done: true })
  })

  it('a failed count is logged and the next refresh still runs', async () => {
    const errors: string[] = []
    let fail = true
    const tracker = new RunProgressTracker(
      () => (fail ? Promise.reject(new Error('disk')) : Promise.resolve(progress(1))),
      { ...silent, error: (_details: object, message: string) => errors.push(message) },
    )
    tracker.schedule()
    await tracker.settled()
    fail = false
    const heard: number[] = []
    tracker.listen((seen) => heard.push(seen.completed))
    tracker.schedule()
    await tracker.settled()
    expect(errors).toEqual(['progress refresh failed'])
    expect(heard).toEqual([1])
  })

  it('a listener removed hears nothing more', async () => {
    const tracker = new RunProgressTracker(() => Promise.resolve(progress(1)), silent)
    const heard: number[] = []
    const stop = tracker.listen((seen) => heard.push(seen.completed))
    stop()
    tracker.schedule()
    await tracker.settled()
    expect(heard).toEqual([])
  })
})
