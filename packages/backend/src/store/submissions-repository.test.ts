import { beforeEach, describe, expect, it } from 'vitest'
import type { NewSubmissionFile } from './submissions-repository.js'
import { STORE_MODES, reservedAgent, useTestStore } from '@faust/testing/store'

const photo: NewSubmissionFile = {
  fieldName: 'photo',
  originalName: 'cat.png',
  storedPath: 'runs/r/a/g/photo-cat.png',
  mimetype: 'image/png',
  sizeBytes: 1234,
}

describe.each(STORE_MODES)('SubmissionsRepository (%s)', (mode) => {
  const { store, setNow } = useTestStore(mode)
  let agentId: string
  beforeEach(async () => {
    ;({ agentId } = await reservedAgent(store))
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
    setNow(2_000)
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
