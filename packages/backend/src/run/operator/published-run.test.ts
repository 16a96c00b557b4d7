import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../store/open-database.js'
import type { Store } from '../../store/store.js'
import { findPublishedRun, type ListingReader } from './published-run.js'

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

async function run(providerType: string): Promise<string> {
  const created = await store.taskRuns.create({
    task: { name: 'label', taskType: 'static' },
    providerType,
    config: {},
  })
  if (!created.ok) throw new Error('expected a run')
  return created.value.run.id
}

/** Listing rows as the provider core keeps them: here, runs given a sandbox flag. */
function listings(rows: Record<string, boolean>): ListingReader {
  return (_store, taskRunId) =>
    Promise.resolve(taskRunId in rows ? { providerType: 'x', sandbox: rows[taskRunId]! } : null)
}

describe('findPublishedRun', () => {
  it("takes the task's newest run with a listing, its platform and sandbox as stored", async () => {
    const older = await run('mturk')
    const newer = await run('prolific')
    await run('mock')
    const unpublished = await run('mturk')
    const readListing = listings({ [older]: true, [newer]: false })
    expect(await findPublishedRun(store, 'label', { readListing })).toEqual({
      taskRunId: newer,
      type: 'prolific',
      sandbox: false,
    })
    expect(await findPublishedRun(store, 'label', { runId: older, readListing })).toEqual({
      taskRunId: older,
      type: 'mturk',
      sandbox: true,
    })
    await expect(
      findPublishedRun(store, 'label', { runId: unpublished, readListing }),
    ).rejects.toMatchObject({
      code: 'RUN_NOT_PUBLISHED',
      message: expect.stringContaining('was not published on a crowd platform') as string,
    })
  })

  it('is null for a task only run with the mock provider; refuses a run of another task', async () => {
    await run('mock')
    expect(await findPublishedRun(store, 'label', { readListing: listings({}) })).toBeNull()
    await expect(
      findPublishedRun(store, 'label', { runId: 'nope', readListing: listings({}) }),
    ).rejects.toMatchObject({ code: 'RUN_NOT_PUBLISHED' })
    await expect(
      findPublishedRun(store, 'other', { readListing: listings({}) }),
    ).rejects.toMatchObject({
      code: 'TASK_NOT_FOUND',
      message: expect.stringContaining("no task named 'other'") as string,
    })
  })
})
