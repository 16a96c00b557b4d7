import { FakeClock } from '@faust/testing'
import { startFakeMturk, type FakeMturk } from '@faust/testing/fakes'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ProviderError } from '../../util/backend-error.js'
import type { ListingRecord, ProviderAttempt, ProviderIdentity } from '../provider-platform.js'
import {
  createMturkPlatform,
  mturkPlatformFromEnvironment,
  type MturkPlatform,
} from './mturk-platform.js'

// Attempts, reviews, bonuses, retries, qualifications and blocks: the real
// @aws-sdk/client-mturk against the fake MTurk over real sockets.

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret-test' }
let clock: FakeClock
let fake: FakeMturk
let platform: MturkPlatform
let listing: ListingRecord

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

const count = (name: string): number => fake.requests().filter((r) => r.operation === name).length

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

/** A worker takes a HIT and hands in through the page's externalSubmit form. */
async function submitted(workerId: string): Promise<ProviderIdentity> {
  const { url, assignmentId, hitId } = fake.workers.accept(undefined, workerId)
  const turkSubmitTo = new URL(url).searchParams.get('turkSubmitTo')
  const response = await fetch(`${turkSubmitTo ?? ''}/mturk/externalSubmit`, {
    method: 'POST',
    body: new URLSearchParams({ assignmentId, faust: 'submitted' }),
  })
  expect(response.status).toBe(200)
  return { workerId, attemptId: assignmentId, placeId: hitId }
}

beforeEach(async () => {
  clock = new FakeClock()
  fake = await startFakeMturk({ clock, pageSize: 2 })
  platform = makePlatform()
  listing = await platform.publish(
    {
      runId: 'run-1',
      taskName: 't',
      title: 'Label pictures',
      description: 'Labels',
      keywords: [],
      rewardCents: 120,
      places: 5,
      estimatedMinutes: 5,
      maxMinutes: 10,
      pageUrl: 'https://faust.example.org/',
      completionCode: 'C',
      blockedWorkerIds: [],
    },
    null,
  )
})
afterEach(async () => {
  await fake.close()
})

describe('listAttempts', () => {
  it('reads every page and infers what MTurk does not list', async () => {
    const approved = await submitted('W1')
    const rejected = await submitted('W2')
    const waiting = await submitted('W3')
    const working = fake.workers.accept(undefined, 'W4')
    const gone = fake.workers.accept(undefined, 'W5')
    fake.workers.returnAssignment(gone.assignmentId)
    await platform.approve(approved, { key: 'k1' })
    await platform.reject(rejected, { key: 'k2', reason: 'Blank answers' })
    const known: ProviderIdentity[] = [
      { workerId: 'W4', attemptId: working.assignmentId, placeId: working.hitId },
      { workerId: 'W5', attemptId: gone.assignmentId, placeId: gone.hitId },
    ]
    const attempts = await collect(platform.listAttempts(listing, known))
    const byWorker = Object.fromEntries(
      attempts.map((a) => [a.workerId, [a.status, a.providerStatus]]),
    )
    expect(byWorker).toEqual({
      W1: ['approved', 'Approved'],
      W2: ['rejected', 'Rejected'],
      W3: ['submitted', 'Submitted'],
      W4: ['active', 'Accepted'],
      W5: ['returned', 'NotListed'],
    })
    expect(attempts.find((a) => a.workerId === 'W3')).toMatchObject(waiting)
    // Five HITs over pages of two.
    expect(count('ListHITs')).toBeGreaterThanOrEqual(3)
    expect(
      fake
        .requests()
        .some((r) => r.operation === 'ListHITs' && typeof r.params['NextToken'] === 'string'),
    ).toBe(true)
  })

  it('calls the latest known attempt on a HIT active and the earlier, vanished one returned', async () => {
    const first = fake.workers.accept(undefined, 'W1')
    fake.workers.returnAssignment(first.assignmentId)
    const second = fake.workers.accept(first.hitId, 'W2')
    const attempts = await collect(
      platform.listAttempts(listing, [
        { workerId: 'W1', attemptId: first.assignmentId, placeId: first.hitId },
        { workerId: 'W2', attemptId: second.assignmentId, placeId: second.hitId },
      ]),
    )
    expect(attempts.map((a) => [a.workerId, a.status])).toEqual([
      ['W1', 'returned'],
      ['W2', 'active'],
    ])
  })

  it('sees an abandoned assignment (duration over) as returned and the HIT open again', async () => {
    const taken = fake.workers.accept(undefined, 'W1')
    clock.advance(11 * 60 * 1000)
    const attempts = await collect(
      platform.listAttempts(listing, [
        { workerId: 'W1', attemptId: taken.assignmentId, placeId: taken.hitId },
      ]),
    )
    expect(attempts.map((a) => a.status)).toEqual(['returned'])
    expect(fake.hits().filter((hit) => hit['HITStatus'] === 'Assignable')).toHaveLength(5)
  })
})

describe('reviews', () => {
  it('approves and rejects once, and a repeat after a lost answer is taken as done', async () => {
    const one = await submitted('W1')
    const two = await submitted('W2')
    fake.failNext({ operation: 'ApproveAssignment', dropAfterProcessing: true })
    await platform.approve(one, { key: 'a1' })
    await platform.approve(one, { key: 'a1' })
    fake.failNext({ operation: 'RejectAssignment', dropAfterProcessing: true })
    await platform.reject(two, { key: 'r1', reason: 'Did not follow the instructions' })
    const statuses = Object.fromEntries(
      fake.assignments().map((a) => [String(a['WorkerId']), a.AssignmentStatus]),
    )
    expect(statuses).toEqual({ W1: 'Approved', W2: 'Rejected' })
    expect(fake.assignments().find((a) => a['WorkerId'] === 'W2')?.['RequesterFeedback']).toBe(
      'Did not follow the instructions',
    )
    // The reward (1.20) and MTurk's 20 % were charged once.
    expect(fake.balanceCents()).toBe(1_000_000 - 144)
  })

  it('refuses approving a rejected assignment as a conflict', async () => {
    const one = await submitted('W1')
    await platform.reject(one, { key: 'r', reason: 'no' })
    const error = await rejection(platform.approve(one, { key: 'a' }))
    expect(error.code).toBe('PROVIDER_CONFLICT')
    expect(error.message).toContain('Rejected')
  })

  it('cannot review an assignment still in progress', async () => {
    const taken = fake.workers.accept(undefined, 'W1')
    const error = await rejection(
      platform.approve(
        { workerId: 'W1', attemptId: taken.assignmentId, placeId: taken.hitId },
        { key: 'a' },
      ),
    )
    expect(error.code).not.toBe('PROVIDER_UNAVAILABLE')
  })
})

describe('bonuses', () => {
  it('pays once when the same key is sent again', async () => {
    const one = await submitted('W1')
    await platform.bonus(one, { key: 'bonus-1', amountCents: 75, reason: 'Great work' })
    await platform.bonus(one, { key: 'bonus-1', amountCents: 75, reason: 'Great work' })
    expect(fake.bonuses()).toEqual([
      {
        WorkerId: 'W1',
        AssignmentId: one.attemptId,
        BonusAmount: '0.75',
        Reason: 'Great work',
        UniqueRequestToken: 'bonus-1',
      },
    ])
    expect(count('SendBonus')).toBe(2)
    expect(fake.balanceCents()).toBe(1_000_000 - 75 - 15)
  })

  it('pays once when the first answer is lost and the SDK retries with the same token', async () => {
    const one = await submitted('W1')
    fake.failNext({ operation: 'SendBonus', dropAfterProcessing: true })
    await platform.bonus(one, { key: 'bonus-2', amountCents: 1005, reason: 'Thanks' })
    expect(count('SendBonus')).toBe(2)
    expect(fake.bonuses().map((b) => b.BonusAmount)).toEqual(['10.05'])
  })

  it('still reports a refused bonus that was never paid', async () => {
    const taken = fake.workers.accept(undefined, 'W1')
    const identity = { workerId: 'W1', attemptId: taken.assignmentId, placeId: taken.hitId }
    const error = await rejection(
      platform.bonus(identity, { key: 'b', amountCents: 10, reason: 'early' }),
    )
    expect(error.code).toBe('PROVIDER_REQUEST_INVALID')
    expect(fake.bonuses()).toEqual([])
  })

  it('reports insufficient funds', async () => {
    const one = await submitted('W1')
    const error = await rejection(
      platform.bonus(one, { key: 'big', amountCents: 2_000_000, reason: 'x' }),
    )
    expect(error.code).toBe('PROVIDER_INSUFFICIENT_FUNDS')
  })
})

describe('transient failures', () => {
  it('retries ServiceUnavailable (503) and throttling (400 ThrottlingException) inside the SDK', async () => {
    fake.failNext({ operation: 'GetAccountBalance', error: 'ServiceUnavailable' })
    fake.failNext({ operation: 'GetAccountBalance', error: 'ThrottlingException' })
    expect(await platform.accountBalanceCents()).toBe(1_000_000)
    expect(count('GetAccountBalance')).toBe(3)
  })

  it('gives up after maxAttempts with a retryable PROVIDER_UNAVAILABLE', async () => {
    fake.failNext({ error: 'ServiceUnavailable', times: 3 })
    const error = await rejection(platform.accountBalanceCents())
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true, status: 503 })
    expect(count('GetAccountBalance')).toBe(3)
  })

  it('does not retry a refusal', async () => {
    const one = await submitted('W1')
    fake.failNext({ operation: 'SendBonus', error: 'RequestError' })
    const error = await rejection(platform.bonus(one, { key: 'x', amountCents: 5, reason: 'r' }))
    expect(error).toMatchObject({ code: 'PROVIDER_REQUEST_INVALID', retryable: false })
    expect(count('SendBonus')).toBe(1)
  })

  it('maps an unreachable endpoint to PROVIDER_UNAVAILABLE', async () => {
    const endpoint = fake.endpoint
    await fake.close()
    const offline = createMturkPlatform({
      sandbox: true,
      endpoint,
      credentials,
      retryBackoffMs: () => 0,
      maxAttempts: 2,
    })
    expect((await rejection(offline.accountBalanceCents())).code).toBe('PROVIDER_UNAVAILABLE')
    fake = await startFakeMturk({ clock })
  })
})

describe('qualifications, blocks and messages', () => {
  it('creates a qualification type per name once, grants, changes and revokes it', async () => {
    await platform.setQualification('W1', 'onboarded', 1)
    await platform.setQualification('W2', 'onboarded', 0)
    await platform.setQualification('W1', 'onboarded', 3)
    expect(count('CreateQualificationType')).toBe(1)
    expect(fake.qualifications()).toMatchObject([{ Name: 'onboarded', workers: { W1: 3, W2: 0 } }])
    await platform.setQualification('W1', 'onboarded', null)
    expect(fake.qualifications()[0]?.workers).toEqual({ W2: 0 })
  })

  it('finds an existing qualification type by name after a restart', async () => {
    await platform.setQualification('W1', 'onboarded', 1)
    await makePlatform().setQualification('W2', 'onboarded', 1)
    expect(count('CreateQualificationType')).toBe(1)
    expect(fake.qualifications()[0]?.workers).toEqual({ W1: 1, W2: 1 })
  })

  it('blocks and unblocks through worker blocks', async () => {
    await platform.block('W1', 'Spam answers')
    expect(fake.blocks()).toEqual([{ WorkerId: 'W1', Reason: 'Spam answers' }])
    expect(() => fake.workers.accept(undefined, 'W1')).toThrow(/blocked/)
    await platform.unblock('W1')
    expect(fake.blocks()).toEqual([])
    expect(fake.workers.accept(undefined, 'W1').assignmentId).toBeTruthy()
  })

  it('messages a worker through NotifyWorkers', async () => {
    await platform.message('W1', 'Hello', 'Thanks for your work')
    expect(fake.notifications()).toEqual([
      { Subject: 'Hello', MessageText: 'Thanks for your work', WorkerIds: ['W1'] },
    ])
  })
})

describe('configuration', () => {
  it('takes the endpoint and keys from the environment', async () => {
    const fromEnv = mturkPlatformFromEnvironment(
      {
        AWS_ENDPOINT_URL_MTURK: fake.endpoint,
        AWS_ACCESS_KEY_ID: 'AKID',
        AWS_SECRET_ACCESS_KEY: 'S',
      },
      { sandbox: true },
    )
    expect(await fromEnv.accountBalanceCents()).toBe(1_000_000)
    expect(fromEnv).toMatchObject({
      type: 'mturk',
      sandbox: true,
      currency: 'USD',
      fees: { rewardRate: 0.2 },
    })
  })

  it('refuses requests the fake cannot see SigV4 on (no credentials at all is AUTH_MISSING)', async () => {
    const none = createMturkPlatform({
      sandbox: true,
      endpoint: fake.endpoint,
      credentials: () =>
        Promise.reject(
          Object.assign(new Error('Could not load credentials from any providers'), {
            name: 'CredentialsProviderError',
          }),
        ),
      maxAttempts: 1,
    })
    expect((await rejection(none.accountBalanceCents())).code).toBe('PROVIDER_AUTH_MISSING')
    expect(count('GetAccountBalance')).toBe(0)
  })
})
