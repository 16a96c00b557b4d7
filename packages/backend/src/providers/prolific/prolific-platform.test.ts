import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeProlific } from '@faust/testing/fakes'
import type { FakeProlific } from '@faust/testing/fakes'
import { ProviderError } from '../../util/backend-error.js'
import type { ListingRecord, ProviderAttempt } from '../provider-platform.js'
import { prolificPlatformFromEnvironment } from './prolific-environment.js'
import { createProlificPlatform } from './prolific-platform.js'
import type { ProlificPlatform } from './prolific-platform.js'
import { instantClock, publishRequest, recordingLogger } from './test-support/prolific-test-kit.js'

let fake: FakeProlific
let platform: ProlificPlatform
let logger: ReturnType<typeof recordingLogger>

function connect(
  overrides: Partial<Parameters<typeof createProlificPlatform>[0]> = {},
): ProlificPlatform {
  return createProlificPlatform({
    apiUrl: fake.url,
    token: fake.token,
    completionUrl: fake.completionUrl,
    workspaceId: 'workspace-1',
    clock: instantClock().clock,
    logger,
    random: () => 0.5,
    ...overrides,
  })
}

async function collect(listing: ListingRecord, on = platform): Promise<ProviderAttempt[]> {
  const attempts: ProviderAttempt[] = []
  for await (const attempt of on.listAttempts(listing)) attempts.push(attempt)
  return attempts
}

function calls(method: string, path: RegExp): number {
  return fake.requests().filter((request) => request.method === method && path.test(request.path))
    .length
}

beforeEach(async () => {
  fake = await startFakeProlific({ pageSize: 2 })
  logger = recordingLogger()
  platform = connect()
})

afterEach(async () => {
  await fake.close()
})

describe('Prolific platform against the fake', () => {
  it('publishes one study carrying the URL parameters, code and reward, and reads it back', async () => {
    const listing = await platform.publish(publishRequest(), null)
    const [study] = fake.studies()
    expect(fake.studies()).toHaveLength(1)
    expect(study).toMatchObject({
      id: listing.listingId,
      status: 'ACTIVE',
      internal_name: 'faust:run-1',
      reward: 150,
      total_available_places: 2,
      prolific_id_option: 'url_parameters',
      external_study_url:
        'https://faust.example.org/task/?PROLIFIC_PID={{%PROLIFIC_PID%}}&STUDY_ID={{%STUDY_ID%}}&SESSION_ID={{%SESSION_ID%}}',
      completion_codes: [
        { code: 'C0DE1234', code_type: 'COMPLETED', actions: [{ action: 'MANUALLY_REVIEW' }] },
      ],
    })
    // A restart with the record, or without it (a crash before it was stored), keeps the same study.
    expect((await platform.publish(publishRequest(), listing)).listingId).toBe(listing.listingId)
    expect((await connect().publish(publishRequest(), null)).listingId).toBe(listing.listingId)
    expect(fake.studies()).toHaveLength(1)
    expect(calls('POST', /^\/api\/v1\/studies\/$/)).toBe(1)
  })

  it('grows places to taken + open and never shrinks a published study', async () => {
    const listing = await platform.publish(publishRequest({ places: 2 }), null)
    const first = fake.participants.take(listing.listingId)
    fake.participants.take(listing.listingId)
    await platform.setOpenPlaces(listing, 3)
    expect(fake.studies()[0]?.total_available_places).toBe(5)
    fake.participants.returnPlace(first.sessionId)
    await platform.setOpenPlaces(listing, 1)
    expect(fake.studies()[0]?.total_available_places).toBe(5)
    expect(calls('PATCH', /studies/)).toBe(1)
  })

  it('re-opens a study that filled up when places are added', async () => {
    const listing = await platform.publish(publishRequest({ places: 1 }), null)
    const place = fake.participants.take(listing.listingId)
    expect(() => fake.participants.take(listing.listingId)).toThrow(/no free place/)
    await fake.participants.complete(place.sessionId, 'C0DE1234')
    expect(fake.studies()[0]?.status).toBe('AWAITING REVIEW')
    await platform.setOpenPlaces(listing, 1)
    expect(fake.studies()[0]).toMatchObject({ status: 'ACTIVE', total_available_places: 2 })
    expect(fake.participants.take(listing.listingId).sessionId).not.toBe(place.sessionId)
  })

  it('pauses, resumes and stops the study, each idempotently', async () => {
    const listing = await platform.publish(publishRequest(), null)
    await platform.pause(listing)
    await platform.pause(listing)
    expect(fake.studies()[0]?.status).toBe('PAUSED')
    expect(() => fake.participants.take(listing.listingId)).toThrow(/PAUSED/)
    await platform.resume(listing)
    await platform.resume(listing)
    expect(fake.studies()[0]?.status).toBe('ACTIVE')
    const place = fake.participants.take(listing.listingId)
    await platform.close(listing)
    await platform.close(listing)
    expect(fake.studies()[0]?.status).toBe('AWAITING REVIEW')
    // Stopped, a worker already in may still hand in.
    await fake.participants.complete(place.sessionId, 'C0DE1234')
    const actions = fake
      .requests()
      .filter((request) => request.path.endsWith('/transition/'))
      .map((request) => (request.body as { action: string }).action)
    expect(actions).toEqual(['PUBLISH', 'PAUSE', 'START', 'STOP'])
  })

  it('lists every attempt across pages with its mapped status', async () => {
    const listing = await platform.publish(publishRequest({ places: 5 }), null)
    const places = [1, 2, 3, 4, 5].map((n) =>
      fake.participants.take(listing.listingId, { pid: `pid-${n}` }),
    )
    await fake.participants.complete(places[0]!.sessionId, 'C0DE1234')
    await fake.participants.complete(places[1]!.sessionId, 'WRONG')
    fake.participants.returnPlace(places[2]!.sessionId)
    fake.participants.timeOut(places[3]!.sessionId)
    const attempts = await collect(listing)
    expect(calls('GET', /submissions\/$/)).toBe(3)
    expect(
      attempts.map((attempt) => [attempt.workerId, attempt.status, attempt.providerStatus]),
    ).toEqual([
      ['pid-1', 'submitted', 'AWAITING REVIEW'],
      ['pid-2', 'submitted', 'AWAITING REVIEW'],
      ['pid-3', 'returned', 'RETURNED'],
      ['pid-4', 'timed_out', 'TIMED-OUT'],
      ['pid-5', 'active', 'ACTIVE'],
    ])
    expect(attempts[0]).toMatchObject({
      attemptId: places[0]!.sessionId,
      placeId: listing.listingId,
    })
    expect(attempts[0]?.submittedAt).toBeTypeOf('number')
    // The wrong code is kept as the participant entered it.
    expect(fake.submissions()[1]?.entered_code).toBe('WRONG')
  })

  it('follows the AWAITING REVIEW → ACTIVE flip and keeps an unknown status as unknown, logged once', async () => {
    const listing = await platform.publish(publishRequest(), null)
    const [a, b] = [
      fake.participants.take(listing.listingId),
      fake.participants.take(listing.listingId),
    ]
    await fake.participants.complete(a.sessionId, 'C0DE1234')
    fake.participants.flipToActive(a.sessionId)
    fake.participants.setStatus(b.sessionId, 'PROCESSING')
    await collect(listing)
    const attempts = await collect(listing)
    expect(attempts.map((attempt) => [attempt.status, attempt.providerStatus])).toEqual([
      ['active', 'ACTIVE'],
      ['unknown', 'PROCESSING'],
    ])
    expect(
      logger.lines.filter((line) => line.message.includes('unknown submission status')),
    ).toHaveLength(1)
  })

  it('approves and rejects with a category; refuses what Prolific refuses', async () => {
    const listing = await platform.publish(publishRequest({ places: 3 }), null)
    const [a, b, c] = [1, 2, 3].map(() => fake.participants.take(listing.listingId))
    for (const place of [a!, b!]) await fake.participants.complete(place.sessionId, 'C0DE1234')
    const identity = (place: typeof a) => ({
      workerId: place!.pid,
      attemptId: place!.sessionId,
      placeId: listing.listingId,
    })
    await platform.approve(identity(a), { key: 'approve-a' })
    await platform.approve(identity(a), { key: 'approve-a' })
    await platform.reject(identity(b), {
      key: 'reject-b',
      reason: 'Answers were empty.',
      category: 'LOW_EFFORT',
    })
    const rejected = fake.submissions().find((submission) => submission.id === b!.sessionId)
    expect(rejected).toMatchObject({ status: 'REJECTED', rejection_category: 'LOW_EFFORT' })
    expect(rejected?.message?.startsWith('Answers were empty.')).toBe(true)
    expect(rejected?.message?.length).toBeGreaterThanOrEqual(100)
    expect(fake.submissions().find((submission) => submission.id === a!.sessionId)?.status).toBe(
      'APPROVED',
    )

    fake.participants.returnPlace(c!.sessionId)
    const conflict = await platform
      .approve(identity(c), { key: 'approve-c' })
      .catch((error: unknown) => error)
    expect(conflict).toBeInstanceOf(ProviderError)
    expect(conflict).toMatchObject({
      code: 'PROVIDER_CONFLICT',
      providerCode: 'RETURNED',
      retryable: false,
    })
    await expect(
      platform.reject(identity(a), { key: 'x', reason: 'no', category: 'NOT_A_CATEGORY' }),
    ).rejects.toMatchObject({ code: 'PROVIDER_REQUEST_INVALID' })
  })

  it('pays a bonus exactly once for one key, even when the pay answer is lost or the process restarts', async () => {
    const listing = await platform.publish(publishRequest(), null)
    const place = fake.participants.take(listing.listingId)
    await fake.participants.complete(place.sessionId, 'C0DE1234')
    const attempt = { workerId: place.pid, attemptId: place.sessionId, placeId: listing.listingId }
    fake.failNext({ method: 'POST', path: '/pay/', dropAfter: true })
    await platform.bonus(attempt, { key: 'bonus-1', amountCents: 125, reason: 'Great answers' })
    await platform.bonus(attempt, { key: 'bonus-1', amountCents: 125, reason: 'Great answers' })
    await connect().bonus(attempt, { key: 'bonus-1', amountCents: 125, reason: 'Great answers' })
    expect(calls('POST', /\/pay\/$/)).toBe(1)
    expect(fake.bonuses().map((bonus) => [bonus.paidTimes, bonus.entries])).toEqual([
      [1, [{ id: place.sessionId, cents: 125 }]],
    ])
    expect(fake.submissions()[0]?.bonus_payments).toEqual([125])
    const setUp = fake
      .requests()
      .find((request) => request.path === '/api/v1/submissions/bonus-payments/')
    expect(setUp?.body).toEqual({
      study_id: listing.listingId,
      csv_bonuses: `${place.sessionId},1.25\n`,
    })
  })

  it('retries a rate-limited pay, which Prolific refused before acting', async () => {
    const listing = await platform.publish(publishRequest(), null)
    const place = fake.participants.take(listing.listingId)
    const attempt = { workerId: place.pid, attemptId: place.sessionId, placeId: listing.listingId }
    fake.failNext({ method: 'POST', path: '/pay/', status: 429, retryAfter: 1 })
    await platform.bonus(attempt, { key: 'bonus-3', amountCents: 75, reason: 'Thanks' })
    expect(
      fake
        .requests()
        .filter((request) => request.path.endsWith('/pay/'))
        .map((request) => request.status),
    ).toEqual([429, 202])
    expect(fake.submissions()[0]?.bonus_payments).toEqual([75])
  })

  it('does not resend a pay whose outcome is unknown and that the submission does not show', async () => {
    const listing = await platform.publish(publishRequest(), null)
    const place = fake.participants.take(listing.listingId)
    const attempt = { workerId: place.pid, attemptId: place.sessionId, placeId: listing.listingId }
    fake.failNext({ method: 'POST', path: '/pay/', dropBefore: true })
    const request = { key: 'bonus-2', amountCents: 50, reason: 'Thanks' }
    await expect(platform.bonus(attempt, request)).rejects.toMatchObject({
      code: 'PROVIDER_CONFLICT',
    })
    await expect(platform.bonus(attempt, request)).rejects.toMatchObject({
      code: 'PROVIDER_CONFLICT',
    })
    expect(calls('POST', /\/pay\/$/)).toBe(1)
  })

  it('blocks through the blocklist group the study filters on, and maps qualifications onto groups', async () => {
    const listing = await platform.publish(publishRequest({ blockedWorkerIds: ['bad-1'] }), null)
    expect(listing.details['blockGroupId']).toBeTypeOf('string')
    expect(fake.studies()[0]?.filters).toEqual([
      {
        filter_id: 'participant_group_blocklist',
        selected_values: [listing.details['blockGroupId']],
      },
    ])
    expect(() => fake.participants.take(listing.listingId, { pid: 'bad-1' })).toThrow(
      /not eligible/,
    )
    await platform.block('bad-2', 'spam')
    expect(() => fake.participants.take(listing.listingId, { pid: 'bad-2' })).toThrow(
      /not eligible/,
    )
    await platform.unblock('bad-2')
    fake.participants.take(listing.listingId, { pid: 'bad-2' })
    await platform.setQualification('w-1', 'trained', 1)
    await platform.setQualification('w-2', 'trained', 1)
    await platform.setQualification('w-1', 'trained', null)
    const groups = Object.fromEntries(
      fake.groups().map((group) => [group.name, [...group.participants]]),
    )
    expect(groups).toEqual({ 'faust-blocked': ['bad-1'], 'faust-qualification-trained': ['w-2'] })
    await expect(connect({ workspaceId: undefined }).block('x', 'r')).rejects.toMatchObject({
      code: 'PROVIDER_REQUEST_INVALID',
    })
  })

  it('sends messages about the study and stops orphaned Faust studies', async () => {
    const listing = await platform.publish(publishRequest(), null)
    const other = await platform.publish(publishRequest({ runId: 'run-2' }), null)
    await platform.message('w-9', 'Thanks', 'Your bonus is on its way.', listing)
    expect(fake.messages()).toEqual([
      {
        recipient_id: 'w-9',
        study_id: listing.listingId,
        body: 'Thanks\n\nYour bonus is on its way.',
      },
    ])
    expect(await platform.cleanUpOrphans([listing.listingId])).toBe(1)
    expect(fake.studies().find((study) => study.id === other.listingId)?.status).toBe('COMPLETED')
    expect(await platform.cleanUpOrphans([listing.listingId])).toBe(0)
  })

  it('identifies a registration from the wrap script data', () => {
    expect(
      platform.identify({
        worker_name: 'p1',
        agent_registration_id: 's1',
        assignment_id: 's1',
        study_id: 'st1',
        provider_type: 'prolific',
      }),
    ).toEqual({ workerId: 'p1', attemptId: 's1', placeId: 'st1' })
    expect(platform.identify({ worker_name: 'p1', agent_registration_id: 's1' })).toBeNull()
  })
})

describe('prolificPlatformFromEnvironment', () => {
  it('needs PROLIFIC_API_TOKEN and reads the rest', () => {
    expect(() => prolificPlatformFromEnvironment({})).toThrow(
      expect.objectContaining({ code: 'PROVIDER_AUTH_MISSING' }),
    )
    const configured = prolificPlatformFromEnvironment({
      PROLIFIC_API_TOKEN: 'secret',
      PROLIFIC_CURRENCY: 'usd',
      PROLIFIC_FEE_RATE: '0.428',
    })
    expect(configured).toMatchObject({
      type: 'prolific',
      currency: 'USD',
      fees: { rewardRate: 0.428, bonusRate: 0.428 },
    })
    expect(
      prolificPlatformFromEnvironment({ PROLIFIC_API_TOKEN: 't' }).fees.rewardRate,
    ).toBeCloseTo(1 / 3)
    expect(() =>
      prolificPlatformFromEnvironment({ PROLIFIC_API_TOKEN: 't', PROLIFIC_CURRENCY: 'EUR' }),
    ).toThrow(expect.objectContaining({ code: 'PROVIDER_REQUEST_INVALID' }))
  })

  it('talks to the configured API and completion URLs', async () => {
    const configured = prolificPlatformFromEnvironment(
      {
        PROLIFIC_API_TOKEN: fake.token,
        PROLIFIC_API_URL: fake.url,
        PROLIFIC_COMPLETION_URL: fake.completionUrl,
      },
      { clock: instantClock().clock },
    )
    await configured.publish(publishRequest(), null)
    expect(fake.studies()).toHaveLength(1)
    expect(configured.wrapCrowdSourceScript('CODE')).toContain(JSON.stringify(fake.completionUrl))
  })
})
