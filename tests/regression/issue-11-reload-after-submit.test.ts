import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { defineTask } from '@faust/backend'
import {
  createTaskClient,
  memoryStorage,
  mockWorkerProvider,
  type StorageLike,
  type TaskClient,
} from '@faust/client'
import { FakeClock } from '@faust/testing'
import { startTask, type TaskHarness } from '@faust/testing/task'

// Issue 11, finding 4: after submitting, a reload showed a blank form again,
// and submitting that form said "Thank you!" while the answer was dropped.
// Now the reload learns from the real backend that the work is stored.

const task = defineTask({
  name: 'reload-after-submit',
  page: 'dist',
  data: [{ text: 'a' }, { text: 'b' }],
  showSubmittedAnswer: true,
})

/** One tab of worker w1 on assignment a1; a reload is a new page with the same session storage. */
function openPage(h: TaskHarness, storage: StorageLike): TaskClient {
  return createTaskClient({
    baseUrl: h.router.router.url,
    fetch,
    WebSocket,
    clock: new FakeClock(),
    storage,
    random: () => 0,
    provider: mockWorkerProvider('w1', 'a1'),
  })
}

describe('issue 11: a reload after submitting', () => {
  it('shows the stored answer as already submitted, not a blank form', async () => {
    await using h = await startTask(task)
    const storage = memoryStorage()
    const first = openPage(h, storage)
    const registered = await first.start()
    expect(registered.status).toBe('ready')
    await first.submit({ label: 'positive' })
    expect(first.getSnapshot().submission?.state).toBe('saved')
    first.stop()

    const reloaded = openPage(h, storage)
    const state = await reloaded.start()
    expect(state.agentId).toBe(registered.agentId)
    expect(state.status).toBe('submitted')
    expect(state.submittedData).toEqual({ label: 'positive' })
    reloaded.stop()
    expect((await h.store.submissions.get(registered.agentId!))?.data).toEqual({
      label: 'positive',
    })
  })

  it('after a reload in a new tab (no saved copy) too: the backend says what was stored', async () => {
    await using h = await startTask(task)
    const first = openPage(h, memoryStorage())
    const registered = await first.start()
    await first.submit({ label: 'negative' })
    first.stop()

    const elsewhere = openPage(h, memoryStorage())
    const state = await elsewhere.start()
    expect(state.status).toBe('submitted')
    expect(state.submittedData).toEqual({ label: 'negative' })
    elsewhere.stop()
    expect(registered.agentId).toBe(state.agentId)
  })
})
