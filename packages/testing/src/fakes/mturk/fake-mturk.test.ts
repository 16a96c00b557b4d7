import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FakeClock } from '../../fake-clock.js'
import { startFakeMturk, type FakeMturk } from './fake-mturk.js'

// The fake's wire contract, spoken raw (the SDK's own use is covered in
// @faust/backend's MTurk tests): AWS JSON 1.1 envelopes, validation, error
// shapes, pagination and the assignment state machine.

const SIGNATURE =
  'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/mturk-requester/aws4_request, SignedHeaders=host;x-amz-date, Signature=' +
  'a'.repeat(64)
const QUESTION = (url: string): string =>
  `<ExternalQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2006-07-14/ExternalQuestion.xsd"><ExternalURL>${url}</ExternalURL><FrameHeight>0</FrameHeight></ExternalQuestion>`

let clock: FakeClock
let fake: FakeMturk

async function call(
  operation: string,
  params: object,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${fake.endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `MTurkRequesterServiceV20170117.${operation}`,
      'x-amz-date': '20260101T000000Z',
      authorization: SIGNATURE,
      ...headers,
    },
    body: JSON.stringify(params),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

async function hitType(overrides: object = {}): Promise<string> {
  const { body } = await call('CreateHITType', {
    Title: 'T',
    Description: 'D',
    Reward: '0.50',
    AssignmentDurationInSeconds: 600,
    AutoApprovalDelayInSeconds: 3600,
    ...overrides,
  })
  return String(body['HITTypeId'])
}

async function hit(
  typeId: string,
  url = 'https://example.org/task',
): Promise<{ status: number; body: Record<string, unknown> }> {
  return call('CreateHITWithHITType', {
    HITTypeId: typeId,
    LifetimeInSeconds: 3600,
    Question: QUESTION(url),
  })
}

beforeEach(async () => {
  clock = new FakeClock()
  fake = await startFakeMturk({ clock, pageSize: 2 })
})
afterEach(async () => {
  await fake.close()
})

describe('the fake MTurk envelope', () => {
  it('wants a SigV4-shaped Authorization header', async () => {
    const { status, body } = await call('GetAccountBalance', {}, { authorization: 'Bearer x' })
    expect(status).toBe(403)
    expect(body['__type']).toBe('MissingAuthenticationTokenException')
    expect(fake.requests()).toEqual([])
  })

  it('refuses unknown operations and answers known ones', async () => {
    expect((await call('Nope', {})).body['__type']).toBe('UnknownOperationException')
    expect(await call('GetAccountBalance', {})).toEqual({
      status: 200,
      body: { AvailableBalance: '10000.00', OnHoldBalance: '0.00' },
    })
  })

  it('answers injected failures in AWS JSON 1.1 shape, then recovers', async () => {
    fake.failNext({ error: 'ServiceUnavailable' })
    fake.failNext({ operation: 'GetAccountBalance', error: 'ThrottlingException' })
    expect(await call('GetAccountBalance', {})).toMatchObject({
      status: 503,
      body: { __type: 'ServiceUnavailable' },
    })
    expect(await call('GetAccountBalance', {})).toMatchObject({
      status: 400,
      body: { __type: 'ThrottlingException' },
    })
    expect((await call('GetAccountBalance', {})).status).toBe(200)
  })
})

describe('the fake MTurk validation', () => {
  it('checks Reward, required members and ranges', async () => {
    const bad = [
      { Reward: '$0.50' },
      { Reward: '0.505' },
      { Reward: '0.00' },
      { Title: undefined },
      { AssignmentDurationInSeconds: 10 },
    ]
    for (const overrides of bad) {
      const { status, body } = await call('CreateHITType', {
        Title: 'T',
        Description: 'D',
        Reward: '0.50',
        AssignmentDurationInSeconds: 600,
        ...overrides,
      })
      expect([status, body['__type']]).toEqual([400, 'RequestError'])
    }
  })

  it('returns the same HIT type for the same settings', async () => {
    expect(await hitType()).toBe(await hitType())
    expect(await hitType({ Keywords: 'other' })).not.toBe(await hitType())
  })

  it('checks the ExternalQuestion: well-formed, namespaced, https or loopback', async () => {
    const typeId = await hitType()
    expect((await hit(typeId)).status).toBe(200)
    expect((await hit(typeId, 'http://127.0.0.1:8080/')).status).toBe(200)
    expect((await hit(typeId, 'http://example.org/')).body['Message']).toMatch(/https/)
    const broken = await call('CreateHITWithHITType', {
      HITTypeId: typeId,
      LifetimeInSeconds: 3600,
      Question: QUESTION('https://example.org/').replace('</FrameHeight>', ''),
    })
    expect(broken.body['TurkErrorCode']).toBe('AWS.MechanicalTurk.XMLParseError')
  })
})

describe('the fake MTurk state machine', () => {
  it('pages ListHITs with NextToken', async () => {
    const typeId = await hitType()
    for (let i = 0; i < 5; i += 1) await hit(typeId)
    const seen: unknown[] = []
    let token: unknown
    do {
      const { body } = await call('ListHITs', token === undefined ? {} : { NextToken: token })
      seen.push(...(body['HITs'] as unknown[]))
      token = body['NextToken']
    } while (token !== undefined)
    expect(seen).toHaveLength(5)
    expect(fake.requests().filter((r) => r.operation === 'ListHITs')).toHaveLength(3)
  })

  it('moves a HIT through accept, submit and auto-approval', async () => {
    const typeId = await hitType()
    const hitId = String(((await hit(typeId)).body['HIT'] as Record<string, unknown>)['HITId'])
    const status = async (): Promise<unknown> =>
      ((await call('GetHIT', { HITId: hitId })).body['HIT'] as Record<string, unknown>)['HITStatus']
    expect(await status()).toBe('Assignable')
    const { assignmentId } = fake.workers.accept(hitId, 'W1')
    expect(await status()).toBe('Unassignable')
    expect((await call('ListAssignmentsForHIT', { HITId: hitId })).body['Assignments']).toEqual([])
    fake.workers.submit(assignmentId, { answer: 'yes' })
    expect(await status()).toBe('Reviewable')
    expect((await call('DeleteHIT', { HITId: hitId })).status).toBe(400)
    clock.advance(3600 * 1000)
    const listed = (await call('ListAssignmentsForHIT', { HITId: hitId })).body[
      'Assignments'
    ] as Record<string, unknown>[]
    expect(listed.map((a) => a['AssignmentStatus'])).toEqual(['Approved'])
    expect(fake.balanceCents()).toBe(1_000_000 - 60)
    expect((await call('DeleteHIT', { HITId: hitId })).status).toBe(200)
    expect(fake.hits()).toHaveLength(1)
  })

  it('refuses a second bonus with the same UniqueRequestToken, naming the first request', async () => {
    const typeId = await hitType()
    const hitId = String(((await hit(typeId)).body['HIT'] as Record<string, unknown>)['HITId'])
    const { assignmentId } = fake.workers.accept(hitId, 'W1')
    fake.workers.submit(assignmentId, { a: '1' })
    const bonus = {
      WorkerId: 'W1',
      AssignmentId: assignmentId,
      BonusAmount: '1.00',
      Reason: 'r',
      UniqueRequestToken: 't',
    }
    expect((await call('SendBonus', bonus)).status).toBe(200)
    const again = await call('SendBonus', bonus)
    expect(again.status).toBe(400)
    expect(again.body['Message']).toMatch(/RequestId [0-9a-f-]{36}/)
    expect(fake.bonuses()).toHaveLength(1)
  })
})
