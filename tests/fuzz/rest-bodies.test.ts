import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestAgent } from '@faust/testing'
import { openHarness, type Harness, type RunSession } from '@faust/testing/backend'
import { expectNoStack } from '@faust/testing/http'
import { fuzzParameters, fuzzTimeout } from './fuzz-settings.js'
import {
  hostileString,
  hostileValueText,
  mutated,
  objectText,
  deepText,
  hostileNumber,
} from './hostile-json.js'

// Random and broken REST bodies against a real router with a real backend
// running a task. Whatever comes in: no 5xx, no stack trace or server path in
// the answer, and a bystander worker keeps being served.
const RUNS = 40

let harness: Harness
let session: RunSession
let bystander: TestAgent
let bystanderId: string
let targetId: string

const agentIdText = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constant(JSON.stringify(targetId)),
    fc.constant('"mephisto"'),
    hostileString.map((id) => JSON.stringify(id)),
    fc.constantFrom('null', '7', '[]', '{}'),
  )

const stringDataText = fc.oneof(
  hostileValueText.map((text) => JSON.stringify(text)),
  fc.integer({ min: 60, max: 20_000 }).map((depth) => JSON.stringify(deepText(depth, 'array'))),
)

const numberText = hostileNumber.map((value) => JSON.stringify(value))

function bodies(): Record<string, fc.Arbitrary<string>> {
  const providerData = objectText({
    worker_name: hostileString.map((name) => JSON.stringify(name)),
    agent_registration_id: hostileString.map((name) => JSON.stringify(name)),
    assignment_id: hostileValueText,
    provider_type: fc.constantFrom('"mock"', '"mturk"', '1'),
  })
  return {
    '/request_agent': objectText({
      provider_data: fc.oneof(providerData, hostileValueText),
      client_timestamp: numberText,
    }),
    '/submit_onboarding': objectText({
      provider_data: fc.oneof(
        objectText({ USED_AGENT_ID: agentIdText(), onboarding_data: hostileValueText }),
        hostileValueText,
      ),
    }),
    '/submit_task': objectText({
      USED_AGENT_ID: agentIdText(),
      final_data: hostileValueText,
      final_string_data: stringDataText,
      client_timestamp: numberText,
    }),
    '/submit_metadata': objectText({ USED_AGENT_ID: agentIdText(), metadata: hostileValueText }),
    '/log_error': objectText({ USED_AGENT_ID: agentIdText(), error_data: hostileValueText }),
  }
}

async function post(path: string, init: RequestInit): Promise<number> {
  const response = await fetch(harness.t.router.url + path, {
    method: 'POST',
    ...init,
    signal: AbortSignal.timeout(5000),
  })
  const text = await response.text()
  expectNoStack(text)
  expect(response.status).toBeLessThan(500)
  return response.status
}

/** The bystander's socket still gets the router's answers. */
async function expectBystanderServed(): Promise<void> {
  expect((await bystander.ping()).packet_type).toBe('heartbeat')
}

beforeAll(async () => {
  harness = await openHarness()
  session = await harness.startRun({
    data: Array.from({ length: 4 }, (_, index) => ({ text: String(index) })),
  })
  bystanderId = (await session.register('bystander')).agent_id!
  targetId = (await session.register('target')).agent_id!
  bystander = await harness.t.connectAgent(bystanderId)
  await bystander.connectAlive()
})

afterAll(async () => {
  await bystander.close()
  await harness[Symbol.asyncDispose]()
})

describe('REST bodies under fuzzing', () => {
  it.each([
    '/request_agent',
    '/submit_onboarding',
    '/submit_task',
    '/submit_metadata',
    '/log_error',
  ])('%s never answers 5xx or a stack trace', { timeout: fuzzTimeout(RUNS) }, async (path) => {
    await fc.assert(
      fc.asyncProperty(mutated(bodies()[path]!), async (body) => {
        await post(path, { headers: { 'content-type': 'application/json' }, body })
        await expectBystanderServed()
      }),
      fuzzParameters(RUNS),
    )
  })

  it(
    'multipart submissions never answer 5xx or a stack trace',
    { timeout: fuzzTimeout(RUNS) },
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('/submit_task', '/submit_metadata'),
          agentIdText(),
          fc.oneof(stringDataText, hostileValueText),
          async (path, idText, dataText) => {
            const form = new FormData()
            const id = JSON.parse(idText) as unknown
            form.set('USED_AGENT_ID', typeof id === 'string' ? id : idText)
            form.set(path === '/submit_task' ? 'final_string_data' : 'metadata', dataText)
            await post(path, { body: form })
            await expectBystanderServed()
          },
        ),
        fuzzParameters(RUNS),
      )
    },
  )

  it("leaves the run able to take the bystander's submission", async () => {
    const done = session.progressWhere((progress) => progress.completed >= 1)
    expect((await session.submit(bystanderId, { answer: 'still here' })).status).toBe(200)
    await done
  })
})
