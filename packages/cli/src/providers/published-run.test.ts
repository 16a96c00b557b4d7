// The backend's findPublishedRun is tested with the backend; here, only what
// the CLI adds: its refusals are the CLI's RUN_NOT_PUBLISHED.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type Store } from '@faust/backend/store'
import { CliProviderError } from './provider-error.js'
import { findPublishedRun } from './published-run.js'

let dir: string
let store: Store

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'faust-published-run-'))
  store = await openDatabase({ dataDir: dir })
})

afterEach(async () => {
  await store.close()
  await rm(dir, { recursive: true, force: true })
})

describe('findPublishedRun (CLI)', () => {
  it("refuses a run that is not the task's as CliProviderError RUN_NOT_PUBLISHED", async () => {
    const created = await store.taskRuns.create({
      task: { name: 'label', taskType: 'static' },
      providerType: 'mock',
      config: {},
    })
    if (!created.ok) throw new Error('expected a run')
    expect(await findPublishedRun(store, 'label')).toBeNull()
    const refused = findPublishedRun(store, 'label', { runId: created.value.run.id })
    await expect(refused).rejects.toBeInstanceOf(CliProviderError)
    await expect(refused).rejects.toMatchObject({
      code: 'RUN_NOT_PUBLISHED',
      message: expect.stringContaining('was not published on a crowd platform') as string,
    })
    await expect(findPublishedRun(store, 'other')).rejects.toThrow("no task named 'other'")
  })
})
