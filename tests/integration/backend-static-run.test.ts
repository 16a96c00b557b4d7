import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FailureReason } from '@faust/protocol'
import { defineTask, runTask, type RunProgress, type TaskOptions } from '@faust/backend'
import { openDatabase } from '@faust/backend/store'
import { startTestRouter, within } from '@faust/testing'

async function setup(options: Partial<TaskOptions> = {}) {
  const t = await startTestRouter()
  const dataDir = await mkdtemp(join(tmpdir(), 'faust-run-'))
  const store = await openDatabase({ dataDir, clock: t.clock })
  const task = defineTask({
    name: 'label',
    page: 'dist',
    data: [{ text: 'a' }, { text: 'b' }],
    ...options,
  })
  const run = await runTask({
    task,
    baseDir: dataDir,
    store,
    clock: t.clock,
    router: {
      socketUrl: t.router.socketUrl,
      httpUrl: t.router.url,
      token: t.token,
      uploadDir: t.uploadDir,
    },
  })
  const progressWhere = (predicate: (progress: RunProgress) => boolean): Promise<RunProgress> =>
    within(
      new Promise<RunProgress>((resolve) => {
        const off = run.onProgress((progress) => {
          if (predicate(progress)) {
            off()
            resolve(progress)
          }
        })
      }),
      3000,
      'run progress',
    )
  const register = async (worker: string, assignment = 'asg') => {
    const response = await t.post('/request_agent', {
      provider_data: {
        worker_name: worker,
        agent_registration_id: `${assignment}-${worker}`,
        provider_type: 'mock',
      },
    })
    return response.body as {
      data: {
        agent_id: string | null
        worker_id: string | null
        init_task_data: unknown
        failure_reason: string | null
      }
    }
  }
  return {
    t,
    store,
    run,
    register,
    progressWhere,
    async [Symbol.asyncDispose]() {
      await run.stop()
      await store.close()
      await t[Symbol.asyncDispose]()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

describe('a static task run', () => {
  it('registers workers into units, stores submissions, and ends when every unit is done', async () => {
    await using s = await setup()
    const first = await s.register('w1')
    expect(first.data).toMatchObject({
      agent_id: expect.any(String) as string,
      init_task_data: { text: 'a' },
      failure_reason: null,
    })
    const second = await s.register('w2')
    expect(second.data.init_task_data).toEqual({ text: 'b' })
    const third = await s.register('w3')
    expect(third.data).toMatchObject({
      agent_id: null,
      failure_reason: FailureReason.NO_AVAILABLE_UNITS,
    })

    const completedOne = s.progressWhere((progress) => progress.completed === 1)
    const answer = await s.t.post('/submit_task', {
      USED_AGENT_ID: first.data.agent_id,
      final_data: { label: 'positive' },
    })
    expect(answer.body).toEqual({ status: 'Submitted!' })
    await completedOne
    const stored = await s.store.submissions.get(first.data.agent_id!)
    expect(stored?.data).toEqual({ label: 'positive' })

    await s.t.post('/submit_task', {
      USED_AGENT_ID: second.data.agent_id,
      final_data: { label: 'negative' },
    })
    const final = await s.run.done
    expect(final).toMatchObject({ total: 2, completed: 2, done: true })
  })

  it('gives the same agent back on a reload, creating nothing new', async () => {
    await using s = await setup()
    const first = await s.register('w1')
    const again = await s.register('w1')
    expect(again.data.agent_id).toBe(first.data.agent_id)
    expect(await s.store.workers.list()).toHaveLength(1)
    expect(await s.store.agents.listForRun(s.run.runId)).toHaveLength(1)
  })
})
