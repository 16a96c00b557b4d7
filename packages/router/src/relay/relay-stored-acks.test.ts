// The relay's side of the `stored_acks` extension (docs/protocol.md §14):
// held submission replies, faust_ack, faust_stored, re-announcement after a
// restart, and the same packets as ever for a backend without the extension.
import fc from 'fast-check'
import { CloseCode, ErrorCode, PacketType, faustAliveData, type Logger } from '@faust/protocol'
import { FakeClock } from '@faust/testing'
import { describe, expect, it } from 'vitest'
import type { AgentConnection } from './connection.js'
import { Relay, type HeldSubmission, type RelayOptions } from './relay.js'

type Packet = Record<string, unknown> & { packet_type: string; subject_id: string | null }

class FakeConnection implements AgentConnection {
  agentId: string | null = null
  isOpen = true
  readonly sent: Packet[] = []
  closedWith: { code: number; reason: string } | null = null

  send(text: string): void {
    this.sent.push(JSON.parse(text) as Packet)
  }

  close(code: number, reason: string): void {
    this.isOpen = false
    this.closedWith = { code, reason }
  }

  ofType(type: string): Packet[] {
    return this.sent.filter((packet) => packet.packet_type === type)
  }

  last(type: string): Packet {
    const packet = this.ofType(type).at(-1)
    if (packet === undefined) throw new Error(`nothing of type ${type} was sent`)
    return packet
  }
}

/** Records every log line, so tests can tell a warning from a debug line. */
class LinesLogger implements Logger {
  readonly lines: { level: string; message: string }[] = []
  debug(_details: object, message: string): void {
    this.lines.push({ level: 'debug', message })
  }
  info(_details: object, message: string): void {
    this.lines.push({ level: 'info', message })
  }
  warn(_details: object, message: string): void {
    this.lines.push({ level: 'warn', message })
  }
  error(_details: object, message: string): void {
    this.lines.push({ level: 'error', message })
  }
  at(level: string): string[] {
    return this.lines.filter((line) => line.level === level).map((line) => line.message)
  }
}

const REQUEST_TIMEOUT_MS = 30_000

function startRelay(overrides: Partial<RelayOptions> = {}): {
  relay: Relay
  clock: FakeClock
  logger: LinesLogger
} {
  const clock = new FakeClock()
  const logger = new LinesLogger()
  let requests = 0
  const relay = new Relay({
    clock,
    logger,
    allowUnknownAgents: false,
    heartbeatTimeoutMs: 15_000,
    reconnectGraceMs: 10_000,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    maxBackendBacklog: 100,
    maxAgentQueue: 100,
    maxPendingRequests: 100,
    generateId: () => `request-${String(++requests)}`,
    maxSubmittedAgents: 100,
    submittedAgentTtlMs: 60_000,
    maxEndedAgents: 100,
    ...overrides,
  })
  return { relay, clock, logger }
}

const frame = (packet: Record<string, unknown>): string => JSON.stringify(packet)

function fromBackend(relay: Relay, backend: FakeConnection, packet: Record<string, unknown>): void {
  relay.handleBackendFrame(backend, frame(packet))
}

/** A backend socket that said `alive`, announcing `stored_acks` or (Mephisto's) nothing. */
function attachBackend(relay: Relay, options: { acks: boolean }): FakeConnection {
  const backend = new FakeConnection()
  fromBackend(relay, backend, {
    packet_type: PacketType.ALIVE,
    subject_id: 'mephisto',
    data: options.acks ? faustAliveData() : {},
  })
  return backend
}

/** `update_status` for each agent, then `faust_announced`, as Faust's backend does after `alive`. */
function announce(relay: Relay, backend: FakeConnection, agentIds: readonly string[]): void {
  for (const agentId of agentIds) {
    fromBackend(relay, backend, {
      packet_type: PacketType.UPDATE_STATUS,
      subject_id: agentId,
      data: { status: 'in task' },
    })
  }
  fromBackend(relay, backend, {
    packet_type: PacketType.FAUST_ANNOUNCED,
    subject_id: 'mephisto',
    data: {},
  })
}

/** An extension backend that re-announced `agentIds`. */
function announcedBackend(relay: Relay, agentIds: readonly string[] = ['agent-1']): FakeConnection {
  const backend = attachBackend(relay, { acks: true })
  announce(relay, backend, agentIds)
  return backend
}

function stored(
  relay: Relay,
  backend: FakeConnection,
  requestId: unknown,
  answer: Record<string, unknown> = { ok: true },
): void {
  fromBackend(relay, backend, {
    packet_type: PacketType.FAUST_STORED,
    subject_id: 'agent-1',
    data: { request_id: requestId, ...answer },
  })
}

const submission = (
  agentId = 'agent-1',
  data: unknown = { answer: 1 },
  submissionId = 'key-1',
) => ({
  agentId,
  data,
  clientTimestamp: null,
  submissionId,
})

/** The held reply of a submission (it must be held). */
function held(value: HeldSubmission | null): HeldSubmission {
  if (value === null) throw new Error('expected the reply to be held')
  return value
}

/** How a held reply ended: 'stored', or the error code it was answered with. */
async function outcome(submissionReply: HeldSubmission): Promise<string> {
  try {
    await submissionReply.stored
    return 'stored'
  } catch (error) {
    return (error as { code: string }).code
  }
}

/** Whether the promise has settled, after every pending microtask ran. */
async function hasSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false
  promise.then(
    () => (settled = true),
    () => (settled = true),
  )
  for (let turn = 0; turn < 10; turn += 1) await Promise.resolve()
  return settled
}

function thrownCode(action: () => unknown): unknown {
  try {
    action()
  } catch (error) {
    return (error as { code: unknown }).code
  }
  throw new Error('expected a throw')
}

describe('Relay, stored_acks: held submissions', () => {
  it('relays submit_unit with faust_ack and answers only once faust_stored says ok', async () => {
    const { relay } = startRelay()
    const backend = announcedBackend(relay)
    const reply = held(relay.submitUnit(submission(), 'digest-1'))
    const packet = backend.last(PacketType.SUBMIT_UNIT)
    expect(packet['faust_ack']).toEqual({ request_id: reply.requestId, submission_id: 'key-1' })
    expect(packet['data']).toEqual({ answer: 1 })
    expect(await hasSettled(reply.stored)).toBe(false)
    expect(relay.stats().pendingRequests).toBe(1)
    stored(relay, backend, reply.requestId)
    expect(await outcome(reply)).toBe('stored')
    expect(relay.stats().pendingRequests).toBe(0)
  })

  it('relays submit_metadata the same way, with a null submission_id when no key was sent', async () => {
    const { relay } = startRelay()
    const backend = announcedBackend(relay)
    const reply = held(
      relay.submitMetadata({ agentId: 'agent-1', data: { tips: 'x' }, clientTimestamp: null }),
    )
    expect(backend.last(PacketType.SUBMIT_METADATA)['faust_ack']).toEqual({
      request_id: reply.requestId,
      submission_id: null,
    })
    stored(relay, backend, reply.requestId)
    expect(await outcome(reply)).toBe('stored')
  })

  it.each([ErrorCode.STORE_FAILED, ErrorCode.ALREADY_SUBMITTED, ErrorCode.AGENT_UNKNOWN])(
    'answers a faust_stored refusal with its code (%s)',
    async (code) => {
      const { relay } = startRelay()
      const backend = announcedBackend(relay)
      const reply = held(relay.submitUnit(submission(), 'digest-1'))
      stored(relay, backend, reply.requestId, { ok: false, code, message: 'no' })
      expect(await outcome(reply)).toBe(code)
    },
  )

  it('fails held replies with BACKEND_UNAVAILABLE when the backend leaves or is replaced', async () => {
    const { relay } = startRelay()
    const backend = announcedBackend(relay)
    const first = held(relay.submitUnit(submission(), 'digest-1'))
    relay.handleBackendClose(backend, 1006)
    expect(await outcome(first)).toBe(ErrorCode.BACKEND_UNAVAILABLE)
    const second = announcedBackend(relay)
    const metadata = held(relay.submitMetadata(submission()))
    announcedBackend(relay)
    expect(second.closedWith?.code).toBe(CloseCode.BACKEND_REPLACED)
    expect(await outcome(metadata)).toBe(ErrorCode.BACKEND_UNAVAILABLE)
    expect(relay.stats().pendingRequests).toBe(0)
  })

  it('answers TIMEOUT when no confirmation comes within the request timeout, and not before', async () => {
    const { relay, clock } = startRelay()
    const backend = announcedBackend(relay)
    const reply = held(relay.submitUnit(submission(), 'digest-1'))
    clock.advance(REQUEST_TIMEOUT_MS - 1)
    expect(await hasSettled(reply.stored)).toBe(false)
    clock.advance(1)
    expect(await outcome(reply)).toBe(ErrorCode.TIMEOUT)
    // The late confirmation is dropped, at debug level.
    stored(relay, backend, reply.requestId)
    expect(relay.stats().pendingRequests).toBe(0)
  })

  it('bounds held replies by maxPendingRequests (503 BACKLOG_FULL)', () => {
    const { relay } = startRelay({ maxPendingRequests: 1 })
    announcedBackend(relay, ['agent-1', 'agent-2'])
    const first = held(relay.submitUnit(submission('agent-1'), 'digest-1'))
    expect(thrownCode(() => relay.submitUnit(submission('agent-2'), 'digest-2'))).toBe(
      ErrorCode.BACKLOG_FULL,
    )
    void first.stored.catch(() => undefined)
    relay.close()
  })

  it('lets the backend decide: other data after a submission, and ids the router never knew, are relayed', async () => {
    const { relay } = startRelay()
    const backend = announcedBackend(relay)
    const firstReply = held(relay.submitUnit(submission('agent-1', { a: 1 }), 'digest-a'))
    stored(relay, backend, firstReply.requestId)
    expect(await outcome(firstReply)).toBe('stored')
    const other = held(relay.submitUnit(submission('agent-1', { a: 2 }), 'digest-b'))
    stored(relay, backend, other.requestId, { ok: false, code: 'ALREADY_SUBMITTED', message: 'x' })
    expect(await outcome(other)).toBe(ErrorCode.ALREADY_SUBMITTED)
    const stranger = held(relay.submitUnit(submission('never-issued'), 'digest-c'))
    expect(backend.last(PacketType.SUBMIT_UNIT).subject_id).toBe('never-issued')
    stored(relay, backend, stranger.requestId, { ok: false, code: 'AGENT_UNKNOWN', message: 'x' })
    expect(await outcome(stranger)).toBe(ErrorCode.AGENT_UNKNOWN)
    // Its submission did not make the id known to the router.
    expect(relay.isAdmitted('never-issued')).toBe(false)
  })

  it('holds a submission while the extension backend is away and sends it with faust_ack on its return', async () => {
    const { relay } = startRelay()
    const first = announcedBackend(relay)
    relay.handleBackendClose(first, 1006)
    const reply = held(relay.submitUnit(submission(), 'digest-1'))
    expect(relay.stats().backendBacklog).toBe(1)
    const second = attachBackend(relay, { acks: true })
    const packet = second.last(PacketType.SUBMIT_UNIT)
    expect(packet['faust_ack']).toEqual({ request_id: reply.requestId, submission_id: 'key-1' })
    expect(await hasSettled(reply.stored)).toBe(false)
    // Sent to this socket: its leaving fails the reply too.
    relay.handleBackendClose(second, 1006)
    expect(await outcome(reply)).toBe(ErrorCode.BACKEND_UNAVAILABLE)
  })

  it('sends a held submission without faust_ack to a backend without the extension, and answers it then', async () => {
    const { relay } = startRelay({ allowUnknownAgents: true })
    // No backend since the start: the next one decides.
    const reply = held(relay.submitUnit(submission(), 'digest-1'))
    expect(await hasSettled(reply.stored)).toBe(false)
    const mephisto = attachBackend(relay, { acks: false })
    expect(mephisto.last(PacketType.SUBMIT_UNIT)).not.toHaveProperty('faust_ack')
    expect(await outcome(reply)).toBe('stored')
  })
})

describe('Relay, stored_acks: a backend without the extension', () => {
  it('relays submissions without faust_ack and answers them at once, as the reference does', () => {
    const { relay } = startRelay()
    const backend = attachBackend(relay, { acks: false })
    relay.handleBackendFrame(
      backend,
      frame({
        packet_type: PacketType.UPDATE_STATUS,
        subject_id: 'agent-1',
        data: { status: 'in task' },
      }),
    )
    expect(relay.submitUnit(submission(), 'digest-1')).toBeNull()
    expect(relay.submitMetadata(submission())).toBeNull()
    expect(backend.last(PacketType.SUBMIT_UNIT)).not.toHaveProperty('faust_ack')
    expect(backend.last(PacketType.SUBMIT_METADATA)).not.toHaveProperty('faust_ack')
    expect(thrownCode(() => relay.submitUnit(submission('agent-1', { other: true }), 'd2'))).toBe(
      ErrorCode.ALREADY_SUBMITTED,
    )
    expect(thrownCode(() => relay.submitMetadata(submission('never-issued')))).toBe(
      ErrorCode.AGENT_UNKNOWN,
    )
  })

  it('forgets the extension when an extension backend is replaced by one without it', () => {
    const { relay } = startRelay()
    announcedBackend(relay)
    const mephisto = attachBackend(relay, { acks: false })
    relay.handleBackendFrame(
      mephisto,
      frame({
        packet_type: PacketType.UPDATE_STATUS,
        subject_id: 'agent-1',
        data: { status: 'in task' },
      }),
    )
    expect(relay.submitUnit(submission(), 'digest-1')).toBeNull()
    expect(mephisto.last(PacketType.SUBMIT_UNIT)).not.toHaveProperty('faust_ack')
  })
})

describe('Relay, stored_acks: onboarding', () => {
  async function onboardingSetup(): Promise<{
    relay: Relay
    backend: FakeConnection
    answer: Promise<unknown>
    requestId: string
  }> {
    const { relay } = startRelay()
    const backend = announcedBackend(relay, ['onboarding_1'])
    const answer = relay
      .submitOnboarding(
        { provider_data: { USED_AGENT_ID: 'onboarding_1', onboarding_data: { a: 1 } } },
        'key-7',
      )
      .then(
        (packet) => packet.data.agent_id,
        (error: unknown) => (error as { code: string }).code,
      )
    await Promise.resolve()
    const packet = backend.last(PacketType.SUBMIT_ONBOARDING)
    const requestId = String((packet['data'] as { request_id: unknown }).request_id)
    expect(packet['faust_ack']).toEqual({ request_id: requestId, submission_id: 'key-7' })
    return { relay, backend, answer, requestId }
  }

  it('is answered by agent_details; a faust_stored success alone does not answer it', async () => {
    const { relay, backend, answer, requestId } = await onboardingSetup()
    stored(relay, backend, requestId)
    expect(await hasSettled(answer)).toBe(false)
    fromBackend(relay, backend, {
      packet_type: PacketType.AGENT_DETAILS,
      subject_id: requestId,
      data: { request_id: requestId, agent_id: 'agent-9', worker_id: 'w' },
    })
    expect(await answer).toBe('agent-9')
  })

  it('is answered with the code of a faust_stored refusal', async () => {
    const { relay, backend, answer, requestId } = await onboardingSetup()
    stored(relay, backend, requestId, { ok: false, code: 'STORE_FAILED', message: 'disk full' })
    expect(await answer).toBe(ErrorCode.STORE_FAILED)
  })

  it('fails with BACKEND_UNAVAILABLE when the backend leaves first', async () => {
    const { relay, backend, answer } = await onboardingSetup()
    relay.handleBackendClose(backend, 1006)
    expect(await answer).toBe(ErrorCode.BACKEND_UNAVAILABLE)
  })

  it('carries no faust_ack to a backend without the extension', async () => {
    const { relay } = startRelay()
    const backend = attachBackend(relay, { acks: false })
    relay.handleBackendFrame(
      backend,
      frame({
        packet_type: PacketType.UPDATE_STATUS,
        subject_id: 'onboarding_1',
        data: { status: 'onboarding' },
      }),
    )
    const answer = relay.submitOnboarding(
      { provider_data: { USED_AGENT_ID: 'onboarding_1', onboarding_data: {} } },
      'key-7',
    )
    await Promise.resolve()
    expect(backend.last(PacketType.SUBMIT_ONBOARDING)).not.toHaveProperty('faust_ack')
    relay.close()
    await expect(answer).rejects.toMatchObject({ code: ErrorCode.SHUTTING_DOWN })
  })
})

describe('Relay, stored_acks: after a restart', () => {
  const socketCloses = (relay: Relay, agentId: string): (number | undefined)[] =>
    [PacketType.ALIVE, PacketType.HEARTBEAT, PacketType.MEPHISTO_BOUND_LIVE_UPDATE].map((type) => {
      const page = new FakeConnection()
      relay.handleAgentFrame(
        page,
        frame({ packet_type: type, subject_id: agentId, data: { update_id: 'u' } }),
      )
      return page.closedWith?.code
    })

  it('answers unknown ids AGENT_NOT_YET_KNOWN (HTTP) and 4503 (sockets) until the backend re-announced', () => {
    const { relay } = startRelay()
    const notYet = Array(3).fill(CloseCode.AGENT_NOT_YET_KNOWN) as number[]
    // No backend yet.
    expect(socketCloses(relay, 'agent-1')).toEqual(notYet)
    expect(thrownCode(() => relay.submitUnit(submission(), 'digest-1'))).toBe(
      ErrorCode.AGENT_NOT_YET_KNOWN,
    )
    expect(
      thrownCode(() => relay.logError({ agentId: 'agent-1', data: {}, clientTimestamp: null })),
    ).toBe(ErrorCode.AGENT_NOT_YET_KNOWN)
    // The extension backend attached but has not finished re-announcing.
    const backend = attachBackend(relay, { acks: true })
    expect(socketCloses(relay, 'agent-1')).toEqual(notYet)
    expect(thrownCode(() => relay.submitMetadata(submission()))).toBe(ErrorCode.AGENT_NOT_YET_KNOWN)
    announce(relay, backend, ['agent-1'])
    // Re-announced ids are known; any other id is a stranger again.
    const known = socketCloses(relay, 'agent-1')
    expect(known).not.toContain(CloseCode.AGENT_NOT_YET_KNOWN)
    expect(known).not.toContain(CloseCode.AGENT_UNKNOWN)
    expect(socketCloses(relay, 'stranger')).toEqual(Array(3).fill(CloseCode.AGENT_UNKNOWN))
    expect(
      thrownCode(() => relay.logError({ agentId: 'stranger', data: {}, clientTimestamp: null })),
    ).toBe(ErrorCode.AGENT_UNKNOWN)
  })

  it('keeps knowing once announced: a backend that leaves does not make ids "not yet known" again', () => {
    const { relay } = startRelay()
    const backend = announcedBackend(relay)
    relay.handleBackendClose(backend, 1006)
    expect(socketCloses(relay, 'stranger')).toEqual(Array(3).fill(CloseCode.AGENT_UNKNOWN))
  })

  it('waits for faust_announced on every new connection of an extension backend', () => {
    const { relay } = startRelay()
    const backend = announcedBackend(relay)
    relay.handleBackendClose(backend, 1006)
    attachBackend(relay, { acks: true })
    expect(socketCloses(relay, 'stranger')).toEqual(Array(3).fill(CloseCode.AGENT_NOT_YET_KNOWN))
  })

  it('treats a backend without the extension as announced as soon as it attaches (Mephisto)', () => {
    const { relay } = startRelay()
    attachBackend(relay, { acks: false })
    expect(socketCloses(relay, 'stranger')).toEqual(Array(3).fill(CloseCode.AGENT_UNKNOWN))
    expect(thrownCode(() => relay.submitUnit(submission('stranger'), 'd'))).toBe(
      ErrorCode.AGENT_UNKNOWN,
    )
  })
})

describe('Relay, stored_acks: faust_stored the relay cannot use', () => {
  it('drops one for an unknown request id at debug level, and a malformed one with a warning', () => {
    const { relay, logger } = startRelay()
    const backend = announcedBackend(relay)
    stored(relay, backend, 'no-such-request')
    expect(logger.at('debug')).toContain('faust_stored for a request no longer held; dropped')
    expect(logger.at('warn')).toEqual([])
    stored(relay, backend, 'request-x', { ok: 'yes' })
    expect(logger.at('warn')).toHaveLength(1)
    expect(logger.at('warn')[0]).toMatch(/dropped a bad packet from the backend/)
  })

  it('never throws, whatever faust_stored frame the backend sends (fuzz)', async () => {
    const { relay } = startRelay({ maxPendingRequests: 1000 })
    const backend = announcedBackend(relay)
    const replies: HeldSubmission[] = []
    const field = fc.oneof(
      fc.constant(undefined),
      fc.boolean(),
      fc.string({ maxLength: 20 }),
      fc.integer(),
      fc.constantFrom(...Object.values(ErrorCode)),
      fc.constantFrom('request-1', 'request-2', 'request-3'),
      fc.jsonValue({ maxDepth: 3 }),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          { request_id: field, ok: field, code: field, message: field, extra: field },
          { requiredKeys: [] },
        ),
        fc.oneof(fc.constant('agent-1'), fc.constant(null), fc.string({ maxLength: 5 })),
        fc.boolean(),
        async (data, subject, raw) => {
          if (replies.length < 5) replies.push(held(relay.submitUnit(submission(), 'd')))
          const packet = { packet_type: PacketType.FAUST_STORED, subject_id: subject, data }
          expect(() => {
            relay.handleBackendFrame(backend, raw ? JSON.stringify(data) : frame(packet))
          }).not.toThrow()
          await Promise.resolve()
        },
      ),
      { numRuns: 300 },
    )
    // The relay still works: a new held submission is confirmed as usual.
    const last = held(relay.submitUnit(submission(), 'd'))
    stored(relay, backend, last.requestId)
    expect(await outcome(last)).toBe('stored')
    relay.close()
    await Promise.all(replies.map((reply) => reply.stored.catch(() => undefined)))
  })
})
