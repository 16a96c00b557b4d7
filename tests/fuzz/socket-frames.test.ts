import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestBackend } from '@faust/testing'
import { TestAgent, startTestRouter, type TestRouter } from '@faust/testing'
import { expectNoStack } from '@faust/testing/http'
import { fuzzParameters, fuzzTimeout } from './fuzz-settings.js'
import {
  hostileNumber,
  hostileString,
  hostileValueText,
  mutated,
  objectText,
} from './hostile-json.js'

// Random and broken frames from workers' sockets and from the backend's,
// against a real router. A worker's bad frame may close its own socket (with
// a reason free of stack traces), a backend's bad frame is dropped; either
// way the router lives on and a bystander's packets still flow both ways.
const RUNS = 60

const PACKET_TYPES = [
  'alive',
  'heartbeat',
  'mephisto_bound_live_update',
  'client_bound_live_update',
  'log_error',
  'update_status',
  'agent_details',
  'request_statuses',
  'register_agent',
  'submit_unit',
  'teleport',
]

let t: TestRouter
let backend: TestBackend
let bystander: TestAgent
let sequence = 0

function frameText(subjects: readonly string[]): fc.Arbitrary<string> {
  const subject = fc.oneof(
    fc.constantFrom(...subjects).map((id) => JSON.stringify(id)),
    hostileString.map((id) => JSON.stringify(id)),
    fc.constantFrom('null', '1'),
  )
  const anyPacket = objectText({
    packet_type: fc.constantFrom(...PACKET_TYPES).map((type) => JSON.stringify(type)),
    subject_id: subject,
    data: hostileValueText,
    client_timestamp: hostileNumber.map((value) => JSON.stringify(value)),
    server_timestamp: hostileNumber.map((value) => JSON.stringify(value)),
  })
  // Well-formed live updates whose data holds the hostile values: the packets
  // that pass the schema and reach the encoder.
  const liveUpdate = fc
    .tuple(
      fc.constantFrom('mephisto_bound_live_update', 'client_bound_live_update'),
      fc.constantFrom(...subjects),
      objectText({ answer: hostileValueText, update_id: fc.constant('"u"') }),
    )
    .map(
      ([type, id, data]) =>
        `{"packet_type":"${type}","subject_id":${JSON.stringify(id)},"data":${data}}`,
    )
  return mutated(fc.oneof(anyPacket, liveUpdate))
}

/** A live update each way between the bystander and the backend. */
async function expectBystanderRelayed(): Promise<void> {
  sequence += 1
  const n = sequence
  bystander.sendLiveUpdate({ n })
  await backend.next(
    'mephisto_bound_live_update',
    (packet) => packet.subject_id === 'bystander' && (packet.data as { n?: unknown }).n === n,
  )
  backend.sendLiveUpdate('bystander', { n })
  await bystander.next(
    'client_bound_live_update',
    (packet) => (packet.data as { n?: unknown }).n === n,
  )
  // Keep only what the checks need: the fuzzed packets the router relayed pile up otherwise.
  backend.takeUnread()
  bystander.takeUnread()
}

beforeAll(async () => {
  t = await startTestRouter()
  backend = await t.connectBackend()
  backend.pushStatus('bystander', 'in task')
  backend.pushStatus('fuzzer', 'in task')
  bystander = await t.connectAgent('bystander')
  await bystander.connectAlive()
})

afterAll(async () => {
  await t[Symbol.asyncDispose]()
})

describe('socket frames under fuzzing', () => {
  it('from a worker close at most its own socket', { timeout: fuzzTimeout(RUNS) }, async () => {
    await fc.assert(
      // Not the bystander's id: a page's socket may legitimately take over its agent.
      fc.asyncProperty(frameText(['fuzzer', 'stranger', 'mephisto']), async (frame) => {
        await using fuzzer = await TestAgent.connect(t.router.socketUrl, 'fuzzer')
        fuzzer.sendRaw(frame)
        await expectBystanderRelayed()
        const closed = await Promise.race([fuzzer.closed, Promise.resolve(null)])
        expectNoStack(closed?.reason ?? '')
      }),
      fuzzParameters(RUNS),
    )
  })

  it('from the backend are dropped, never the link', { timeout: fuzzTimeout(RUNS) }, async () => {
    await fc.assert(
      fc.asyncProperty(frameText(['bystander', 'fuzzer', 'mephisto']), async (frame) => {
        backend.sendRaw(frame)
        await expectBystanderRelayed()
      }),
      fuzzParameters(RUNS),
    )
    expect((await t.get('/is_alive')).status).toBe(200)
  })
})
