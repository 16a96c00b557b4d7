import { FakeClock } from '@faust/testing'
import { startFakeMturk, type FakeMturk } from '@faust/testing/fakes'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ProviderError } from '../../util/backend-error.js'
import type { ListingRecord, ProviderAttempt, PublishRequest } from '../provider-platform.js'
import { createMturkPlatform, type MturkPlatform } from './mturk-platform.js'

// The real @aws-sdk/client-mturk against the fake MTurk over real sockets.

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret-test' }
let clock: FakeClock
let fake: FakeMturk
let platform: MturkPlatform

function request(overrides: Partial<PublishRequest> = {}): PublishRequest {
  return {
    runId: 'run-1',
    taskName: 'static-form',
    title: 'Label pictures',
    description: 'Tell us what each picture shows',
    keywords: ['images', 'labels'],
    rewardCents: 50,
    places: 2,
    estimatedMinutes: 5,
    maxMinutes: 20,
    pageUrl: 'https://faust.example.org/task/',
    completionCode: 'C0DE',
    blockedWorkerIds: [],
    ...overrides,
  }
}

function makePlatform(extra: { maxAttempts?: number } = {}): MturkPlatform {
  return createMturkPlatform({
    sandbox: true,
    endpoint: fake.endpoint,
    credentials,
    clock,
    retryBackoffMs: () => 0,
    ...extra,
  })
}

const operations = (name: string): number =>
  fake.requests().filter((r) => r.operation === name).length
const assignableHits = (runId = 'run-1') =>
  fake
    .hits()
    .filter(
      (hit) => hit['RequesterAnnotation'] === `faust:${runId}` && hit['HITStatus'] === 'Assignable',
    )

async function collect(iterable: AsyncIterable<ProviderAttempt>): Promise<ProviderAttempt[]> {
  const out: ProviderAttempt[] = []
  for await (const attempt of iterable) out.push(attempt)
  return out
}

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ProviderError)
  return error as ProviderError
}

beforeEach(async () => {
  clock = new FakeClock()
  fake = await startFakeMturk({ clock, pageSize: 2 })
  platform = makePlatform()
})
afterEach(async () => {
  await fake.close()
})

describe('publishing', () => {
  it('creates one HIT type and one single-assignment HIT per place, with an ExternalQuestion and the run annotation', async () => {
    const listing = await platform.publish(request({ places: 3 }), null)
    expect(operations('CreateHITType')).toBe(1)
    expect(operations('CreateHITWithHITType')).toBe(3)
    const hits = assignableHits()
    expect(hits).toHaveLength(3)
    for (const hit of hits) {
      expect(hit['HITTypeId']).toBe(listing.listingId)
      expect(hit['MaxAssignments']).toBe(1)
      expect(hit['Reward']).toBe('0.50')
      expect(hit['AssignmentDurationInSeconds']).toBe(1200)
      expect(hit['Question']).toContain(
        '<ExternalURL>https://faust.example.org/task/</ExternalURL>',
      )
      expect(hit['Question']).toContain('<FrameHeight>0</FrameHeight>')
    }
    expect(listing).toMatchObject({ sandbox: true, details: { runId: 'run-1' } })
  })

  it('returns the earlier record instead of publishing twice', async () => {
    const listing = await platform.publish(request(), null)
    const again = await platform.publish(request(), listing)
    expect(again).toEqual(listing)
    expect(operations('CreateHITType')).toBe(1)
    expect(fake.hits()).toHaveLength(2)
  })

  it('gives each run its own HIT type even with identical settings', async () => {
    const first = await platform.publish(request(), null)
    const second = await platform.publish(request({ runId: 'run-2' }), null)
    expect(second.listingId).not.toBe(first.listingId)
  })

  it('keeps workers blocked before publishing off the HIT type through a qualification they must not hold', async () => {
    await platform.publish(request({ places: 1, blockedWorkerIds: ['WBAD'] }), null)
    const blocked = fake.qualifications().find((q) => q.Name === 'faust-blocked')
    expect(blocked?.workers).toEqual({ WBAD: 1 })
    expect(() => fake.workers.accept(undefined, 'WBAD')).toThrow(/no HIT/)
    expect(fake.workers.accept(undefined, 'WGOOD').assignmentId).toMatch(/^[A-Z0-9]{30}$/)
  })

  it('refuses a page URL that is not https (MTurk shows ExternalQuestions over https only)', async () => {
    const error = await rejection(
      platform.publish(request({ pageUrl: 'http://faust.example.org/' }), null),
    )
    expect(error.code).toBe('PROVIDER_REQUEST_INVALID')
    expect(error.providerCode).toBe('AWS.MechanicalTurk.InvalidParameterValue')
  })
})

describe('open places', () => {
  let listing: ListingRecord
  beforeEach(async () => {
    listing = await platform.publish(request({ places: 2 }), null)
  })

  it('creates HITs to grow and expires the newest extras to shrink', async () => {
    await platform.setOpenPlaces(listing, 5)
    expect(assignableHits()).toHaveLength(5)
    await platform.setOpenPlaces(listing, 1)
    expect(assignableHits()).toHaveLength(1)
    expect(operations('UpdateExpirationForHIT')).toBe(4)
    await platform.setOpenPlaces(listing, 1)
    expect(operations('CreateHITWithHITType')).toBe(5)
    expect(operations('UpdateExpirationForHIT')).toBe(4)
  })

  it('does not count a HIT a worker accepted as open, and counts it again once returned', async () => {
    const { assignmentId } = fake.workers.accept(undefined, 'W1')
    await platform.setOpenPlaces(listing, 2)
    expect(assignableHits()).toHaveLength(2)
    expect(operations('CreateHITWithHITType')).toBe(3)
    fake.workers.returnAssignment(assignmentId)
    await platform.setOpenPlaces(listing, 2)
    expect(assignableHits()).toHaveLength(2)
  })

  it('replaces HITs whose lifetime ran out', async () => {
    clock.advance(8 * 24 * 3600 * 1000)
    await platform.setOpenPlaces(listing, 2)
    expect(assignableHits()).toHaveLength(2)
    expect(operations('CreateHITWithHITType')).toBe(4)
  })

  it('close expires every HIT of the run, and a worker already in may still hand in', async () => {
    const { assignmentId } = fake.workers.accept(undefined, 'W1')
    await platform.close(listing)
    expect(assignableHits()).toHaveLength(0)
    expect(() => fake.workers.accept(undefined, 'W2')).toThrow(/no HIT/)
    fake.workers.submit(assignmentId, { faust: 'submitted' })
    const attempts = await collect(platform.listAttempts(listing))
    expect(attempts.map((a) => a.status)).toEqual(['submitted'])
    await platform.close(listing)
  })

  it('cleanUpOrphans expires only live Faust HITs of runs nobody knows', async () => {
    const other = await platform.publish(request({ runId: 'crashed', places: 3 }), null)
    expect(other.listingId).not.toBe(listing.listingId)
    expect(await platform.cleanUpOrphans([listing.listingId])).toBe(3)
    expect(assignableHits('crashed')).toHaveLength(0)
    expect(assignableHits('run-1')).toHaveLength(2)
    expect(await platform.cleanUpOrphans([listing.listingId])).toBe(0)
  })
})
