import { describe, expect, it } from 'vitest'
import { STORE_MODES, useTestStore } from '@faust/testing/store'

describe.each(STORE_MODES)('QualificationsRepository (%s)', (mode) => {
  const { store, setNow, worker } = useTestStore(mode)
  it('grants, upserts the value and time, and revokes', async () => {
    const w = await worker('w1_sandbox')
    const granted = await store.qualifications.grant({ name: 'onboarded', workerId: w, value: 1 })
    expect(granted).toMatchObject({
      qualificationName: 'onboarded',
      workerId: w,
      workerName: 'w1_sandbox',
      providerType: 'mock',
      value: 1,
      grantedAt: 1_000,
    })
    setNow(2_000)
    await store.qualifications.grant({ name: 'onboarded', workerId: w, value: 0 })
    expect(await store.qualifications.getGrant({ name: 'onboarded', workerId: w })).toMatchObject({
      value: 0,
      grantedAt: 2_000,
    })
    expect(await store.qualifications.listForQualification('onboarded')).toHaveLength(1)
    expect(await store.qualifications.revoke({ name: 'onboarded', workerId: w })).toBe(true)
    expect(await store.qualifications.revoke({ name: 'onboarded', workerId: w })).toBe(false)
    expect(await store.qualifications.getGrant({ name: 'onboarded', workerId: w })).toBeNull()
    // Revoking keeps the qualification itself, so registration still checks it.
    expect(await store.qualifications.find('onboarded')).not.toBeNull()
  })

  it('tells a missing qualification from one not granted', async () => {
    const w = await worker('w')
    expect(await store.qualifications.find('never-made')).toBeNull()
    const made = await store.qualifications.ensure('blocked')
    expect(await store.qualifications.ensure('blocked')).toEqual(made)
    expect(await store.qualifications.getGrant({ name: 'blocked', workerId: w })).toBeNull()
    expect(await store.qualifications.revoke({ name: 'never-made', workerId: w })).toBe(false)
  })

  it('lists grants per worker and per qualification', async () => {
    const a = await worker('a')
    const b = await worker('b')
    await store.qualifications.grant({ name: 'skill', workerId: b, value: 7 })
    await store.qualifications.grant({ name: 'skill', workerId: a, value: 3 })
    await store.qualifications.grant({ name: 'onboarding-failed', workerId: a, value: 0 })
    expect((await store.qualifications.listForWorker(a)).map((g) => g.qualificationName)).toEqual([
      'onboarding-failed',
      'skill',
    ])
    expect(
      (await store.qualifications.listForQualification('skill')).map((g) => [
        g.workerName,
        g.value,
      ]),
    ).toEqual([
      ['a', 3],
      ['b', 7],
    ])
    expect((await store.qualifications.list()).map((q) => q.name)).toEqual([
      'onboarding-failed',
      'skill',
    ])
  })

  it('refuses a value that is not an integer', async () => {
    const w = await worker('w')
    await expect(
      store.qualifications.grant({ name: 'q', workerId: w, value: 0.5 }),
    ).rejects.toThrow(RangeError)
    expect(await store.qualifications.find('q')).toBeNull()
  })
})
