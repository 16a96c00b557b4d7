import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { systemClock } from '@faust/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from './open-database.js'
import type { Store } from './store.js'
import type { NewSubmissionFile } from './submissions-repository.js'

const photo: NewSubmissionFile = {
  fieldName: 'photo',
  originalName: 'cat.png',
  storedPath: 'runs/r/a/g/photo-cat.png',
  mimetype: 'image/png',
  sizeBytes: 1234,
}

describe.each(['file', 'memory'] as const)('SubmissionsRepository (%s)', (mode) => {
  let dataDir: string
  let store: Store
  let now: number
  let agentId: string
  beforeEach(async () => {
    now = 1_000
    dataDir = await mkdtemp(join(tmpdir(), 'faust-db-'))
    const clock = { ...systemClock, now: () => now }
    store = await openDatabase({ dataDir, memory: mode === 'memory', clock })
    const run = await store.taskRuns.create({
      task: { name: 't', taskType: 'static' },
      providerType: 'mock',
      config: {},
      assignments: [{ sharedData: {}, units: [{ pay: 1 }] }],
    })
    const unitId = run.ok ? run.value.assignments[0]!.units[0]!.id : ''
    await store.units.launch([unitId])
    const worker = await store.workers.findOrCreate({ providerType: 'mock', workerName: 'w' })
    const reserved = await store.agents.reserveUnit({ unitIds: [unitId], workerId: worker.id })
    agentId = reserved.ok ? reserved.value.agent.id : ''
  })
  afterEach(async () => {
    await store.close()
    await rm(dataDir, { recursive: true, force: true })
  })

  it('stores a submission with its files', async () => {
    const stored = await store.submissions.store({
      agentId,
      data: { answer: 42 },
      files: [photo],
    })
    if (!stored.ok) throw new Error('expected the submission to be stored')
    expect(stored.value).toMatchObject({ agentId, data: { answer: 42 }, submittedAt: 1_000 })
    expect(stored.value.files).toEqual([
      expect.objectContaining({ ...photo, submissionId: stored.value.id }),
    ])
    expect(await store.submissions.get(agentId)).toEqual(stored.value)
  })

  it('refuses a second submission and keeps the first intact', async () => {
    const first = await store.submissions.store({ agentId, data: { answer: 1 }, files: [photo] })
    now = 2_000
    const second = await store.submissions.store({
      agentId,
      data: { answer: 2 },
      files: [{ ...photo, fieldName: 'other' }],
    })
    expect(second).toEqual({ ok: false, error: { code: 'ALREADY_SUBMITTED' } })
    const kept = await store.submissions.get(agentId)
    expect(kept).toEqual(first.ok ? first.value : null)
    expect(kept?.files).toHaveLength(1)
  })

  it('stores exactly one of two simultaneous submissions', async () => {
    const outcomes = await Promise.all([
      store.submissions.store({ agentId, data: 'a' }),
      store.submissions.store({ agentId, data: 'b' }),
    ])
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1)
    expect((await store.submissions.get(agentId))?.data).toBe('a')
  })

  it('attaches files to a stored submission afterwards', async () => {
    const stored = await store.submissions.store({ agentId, data: {} })
    const submissionId = stored.ok ? stored.value.id : ''
    expect(await store.submissions.addFiles(submissionId, [])).toEqual([])
    await store.submissions.addFiles(submissionId, [photo, { ...photo, fieldName: 'second' }])
    expect((await store.submissions.get(agentId))?.files.map((f) => f.fieldName)).toEqual([
      'photo',
      'second',
    ])
  })

  it('refuses a submission for an unknown agent', async () => {
    await expect(store.submissions.store({ agentId: 'missing', data: {} })).rejects.toThrow(
      /FOREIGN KEY/,
    )
    expect(await store.submissions.get('missing')).toBeNull()
  })
})
