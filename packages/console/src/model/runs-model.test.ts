import { describe, expect, it } from 'vitest'
import { FakeClock } from '@faust/testing'
import { useTestStore } from '@faust/testing/store'
import { leasedLiveRuns, listRuns } from './runs-model.js'

describe('leasedLiveRuns', () => {
  const { store, launchedRun } = useTestStore('file')

  it("shows another process's run as live while its lease is fresh, and not once it went stale", async () => {
    const { runId } = await launchedRun([1])
    const clock = new FakeClock()
    const live = leasedLiveRuns(store, clock)
    expect(await live.isLive(runId)).toBe(false)
    await store.runControl.refreshLease(runId, 'pid-1', clock.now())
    expect(await live.isLive(runId)).toBe(true)
    expect((await listRuns(store, live)).map((run) => [run.runId, run.live])).toEqual([
      [runId, true],
    ])
    // The holder stopped refreshing (killed): stale after the lease's 10 s.
    clock.advance(10_000)
    expect(await live.isLive(runId)).toBe(false)
  })
})
