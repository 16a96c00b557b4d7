import { describe, expect, it } from 'vitest'
import {
  FailureReason,
  PacketType,
  SYSTEM_SUBJECT_ID,
  type AgentStatus,
  type RouterToBackendPacket,
} from '@faust/protocol'
import { FakeClock, deferred, fullPacket } from '@faust/testing'
import type { BackendLogger } from '../util/logger.js'
import { IoHandler, type PacketHandlers } from './io-handler.js'
import type { PacketChannel } from './packet-channel.js'
import { granted, type RegistrationResult } from './registration-answer.js'

const CHANNEL_ID = 'faust_channel'
const POLL_MS = 4000

/** The router's side, in memory: the test delivers packets and reads what was sent. */
class FakeChannel implements PacketChannel {
  onPacket: (packet: RouterToBackendPacket) => void = () => undefined
  onOpen: () => void = () => undefined
  readonly sent: Record<string, unknown>[] = []

  send(packet: Record<string, unknown>): boolean {
    this.sent.push(packet)
    return true
  }

  deliver(type: string, subjectId: string, data: unknown): void {
    this.onPacket(fullPacket(type, subjectId, data) as RouterToBackendPacket)
  }

  /** Sent packets of one type, without their envelope. */
  sentOf(type: string): { subject_id: unknown; data: unknown }[] {
    return this.sent
      .filter((packet) => packet['packet_type'] === type)
      .map((packet) => ({ subject_id: packet['subject_id'], data: packet['data'] }))
  }
}

class RecordingLogger implements BackendLogger {
  readonly lines: { level: string; message: string }[] = []
  debug(): void {
    // not asserted on
  }
  info(): void {
    // not asserted on
  }
  warn(_details: object, message: string): void {
    this.lines.push({ level: 'warn', message })
  }
  error(_details: object, message: string): void {
    this.lines.push({ level: 'error', message })
  }
}

const unexpected = (): never => {
  throw new Error('not expected in this test')
}

function handlers(overrides: Partial<PacketHandlers> = {}): PacketHandlers {
  return {
    register: unexpected,
    submitOnboarding: unexpected,
    submitUnit: unexpected,
    submitMetadata: unexpected,
    logError: () => Promise.resolve(),
    liveUpdate: unexpected,
    reconcile: () => Promise.resolve(),
    ...overrides,
  }
}

function setup(overrides: Partial<PacketHandlers> = {}): {
  io: IoHandler
  channel: FakeChannel
  clock: FakeClock
  logger: RecordingLogger
} {
  const channel = new FakeChannel()
  const clock = new FakeClock()
  const logger = new RecordingLogger()
  const io = new IoHandler(
    { channel, clock, logger, channelId: CHANNEL_ID, statusPollMs: POLL_MS },
    handlers(overrides),
  )
  return { io, channel, clock, logger }
}

const registration = (requestId: string): Record<string, unknown> => ({
  request_id: requestId,
  provider_data: { worker_name: 'w1', agent_registration_id: 'asg-w1' },
})

const grant = (requestId: string, agentId: string): RegistrationResult => ({
  details: granted({ requestId, workerId: 'worker-1', agentId, initTaskData: { n: 1 } }),
})

describe('IoHandler', () => {
  it('answers a registration with one agent_details on its channel, then starts the agent', async () => {
    const sentBeforeStart: unknown[] = []
    const { io, channel } = setup({
      register: (providerData, requestId) =>
        Promise.resolve({
          ...grant(requestId, `agent-${providerData.worker_name}`),
          start: () => {
            sentBeforeStart.push(...channel.sentOf(PacketType.AGENT_DETAILS))
            return Promise.resolve()
          },
        }),
    })
    channel.deliver(PacketType.REGISTER_AGENT, SYSTEM_SUBJECT_ID, registration('req-1'))
    await io.drain()

    const answer = {
      subject_id: CHANNEL_ID,
      data: {
        request_id: 'req-1',
        worker_id: 'worker-1',
        agent_id: 'agent-w1',
        init_task_data: { n: 1 },
        failure_reason: null,
      },
    }
    expect(channel.sentOf(PacketType.AGENT_DETAILS)).toEqual([answer])
    expect(sentBeforeStart).toEqual([answer])
    // Every packet carries the full envelope, stamped with the clock.
    expect(channel.sent[0]).toEqual({
      packet_type: PacketType.AGENT_DETAILS,
      ...answer,
      client_timestamp: null,
      router_incoming_timestamp: null,
      router_outgoing_timestamp: null,
      server_timestamp: Date.UTC(2026, 0, 1) / 1000,
    })
  })

  it('answers a registration or an onboarding whose handler throws with a refusal', async () => {
    const { io, channel, logger } = setup({
      register: () => Promise.reject(new Error('store down')),
      submitOnboarding: () => Promise.reject(new Error('store down')),
    })
    channel.deliver(PacketType.REGISTER_AGENT, SYSTEM_SUBJECT_ID, registration('req-1'))
    channel.deliver(PacketType.SUBMIT_ONBOARDING, 'onboarding_1', {
      request_id: 'req-2',
      onboarding_data: { answer: 42 },
    })
    await io.drain()

    const refusal = (requestId: string): unknown => ({
      subject_id: CHANNEL_ID,
      data: {
        request_id: requestId,
        worker_id: null,
        agent_id: null,
        init_task_data: null,
        failure_reason: FailureReason.NO_AVAILABLE_UNITS,
      },
    })
    expect(channel.sentOf(PacketType.AGENT_DETAILS)).toEqual([refusal('req-1'), refusal('req-2')])
    expect(logger.lines.filter((line) => line.level === 'error')).toHaveLength(2)
  })

  it('passes an onboarding submission its subject, answers and request id', async () => {
    const seen: unknown[] = []
    const { io, channel } = setup({
      submitOnboarding: (subjectId, answers, requestId) => {
        seen.push({ subjectId, answers, requestId })
        return Promise.resolve(grant(requestId, 'agent-9'))
      },
    })
    channel.deliver(PacketType.SUBMIT_ONBOARDING, 'onboarding_1', {
      request_id: 'req-2',
      onboarding_data: { answer: 42 },
    })
    await io.drain()
    expect(seen).toEqual([
      { subjectId: 'onboarding_1', answers: { answer: 42 }, requestId: 'req-2' },
    ])
    expect(channel.sentOf(PacketType.AGENT_DETAILS)).toMatchObject([
      { data: { request_id: 'req-2', agent_id: 'agent-9' } },
    ])
  })

  it("handles one agent's packets one at a time, in arrival order; other agents run meanwhile", async () => {
    const events: string[] = []
    const unitOfA = deferred<undefined>()
    const unitOfBEnded = deferred<undefined>()
    const { io, channel } = setup({
      submitUnit: async (agentId) => {
        events.push(`unit ${agentId} start`)
        if (agentId === 'a') await unitOfA.promise
        events.push(`unit ${agentId} end`)
        if (agentId === 'b') unitOfBEnded.resolve(undefined)
      },
      submitMetadata: (subjectId) => {
        events.push(`metadata ${subjectId}`)
        return Promise.resolve()
      },
    })
    channel.deliver(PacketType.SUBMIT_UNIT, 'a', { final: 1 })
    channel.deliver(PacketType.SUBMIT_METADATA, 'a', { m: 1 })
    channel.deliver(PacketType.SUBMIT_UNIT, 'b', { final: 2 })
    await unitOfBEnded.promise
    // a's metadata waits for a's unit; b does not wait for a.
    expect(events).toEqual(['unit a start', 'unit b start', 'unit b end'])

    unitOfA.resolve(undefined)
    await io.drain()
    expect(events).toEqual([
      'unit a start',
      'unit b start',
      'unit b end',
      'unit a end',
      'metadata a',
    ])
  })

  it('keeps going after a handler fails: the failure is logged, the next packet handled', async () => {
    const handled: unknown[] = []
    const { io, channel, logger } = setup({
      submitUnit: (_agentId, data) => {
        if ((data as { n: number }).n === 1) return Promise.reject(new Error('boom'))
        handled.push(data)
        return Promise.resolve()
      },
    })
    channel.deliver(PacketType.SUBMIT_UNIT, 'a', { n: 1 })
    channel.deliver(PacketType.SUBMIT_UNIT, 'a', { n: 2 })
    await io.drain()
    expect(handled).toEqual([{ n: 2 }])
    expect(logger.lines).toEqual([{ level: 'error', message: 'handling a router packet failed' }])
  })

  it('drops a live update whose update_id it has seen; ones without an id all pass', async () => {
    const updates: unknown[] = []
    const { io, channel } = setup({
      liveUpdate: (subjectId, data) => {
        updates.push([subjectId, data])
      },
    })
    channel.deliver(PacketType.MEPHISTO_BOUND_LIVE_UPDATE, 'a', { update_id: 'u1', n: 1 })
    channel.deliver(PacketType.MEPHISTO_BOUND_LIVE_UPDATE, 'a', { update_id: 'u1', n: 2 })
    channel.deliver(PacketType.MEPHISTO_BOUND_LIVE_UPDATE, 'b', { update_id: 'u1', n: 3 })
    channel.deliver(PacketType.MEPHISTO_BOUND_LIVE_UPDATE, 'a', { n: 4 })
    channel.deliver(PacketType.MEPHISTO_BOUND_LIVE_UPDATE, 'a', { n: 4 })
    await io.drain()
    expect(updates).toEqual([
      ['a', { update_id: 'u1', n: 1 }],
      ['a', { n: 4 }],
      ['a', { n: 4 }],
    ])
  })

  it('logs a page error and hands it on', async () => {
    const errors: unknown[] = []
    const { io, channel, logger } = setup({
      logError: (subjectId, data) => {
        errors.push([subjectId, data])
        return Promise.resolve()
      },
    })
    channel.deliver(PacketType.LOG_ERROR, 'a', { message: 'oops' })
    await io.drain()
    expect(errors).toEqual([['a', { message: 'oops' }]])
    expect(logger.lines).toEqual([{ level: 'warn', message: '[FRONT_END_ERROR]' }])
  })

  it('pushes statuses and sends live updates with an update_id', () => {
    const { io, channel } = setup()
    io.pushStatus('a', 'in task')
    io.sendLiveUpdate('a', { text: 'hi' })
    io.sendLiveUpdate('a', { text: 'again', update_id: 'mine' })
    expect(channel.sentOf(PacketType.UPDATE_STATUS)).toEqual([
      { subject_id: 'a', data: { status: 'in task' } },
    ])
    const updates = channel.sentOf(PacketType.CLIENT_BOUND_LIVE_UPDATE)
    expect(updates).toEqual([
      { subject_id: 'a', data: { text: 'hi', update_id: expect.any(String) as unknown } },
      { subject_id: 'a', data: { text: 'again', update_id: 'mine' } },
    ])
  })

  it('names every working agent again after a reconnect, not the ended ones', () => {
    const { io, channel } = setup()
    io.pushStatus('a', 'in task')
    io.pushStatus('b', 'waiting')
    io.pushStatus('b', 'in task')
    io.pushStatus('c', 'completed')
    expect(io.stats()).toEqual({ pushedLive: 2, pushedEnded: 1 })
    channel.sent.length = 0

    channel.onOpen()
    expect(channel.sentOf(PacketType.UPDATE_STATUS)).toEqual([
      { subject_id: 'a', data: { status: 'in task' } },
      { subject_id: 'b', data: { status: 'in task' } },
    ])
  })

  it("polls the router's statuses on the clock and reconciles them with what it pushed", async () => {
    const reconciled: { statuses: unknown; a: AgentStatus | undefined; c: unknown }[] = []
    const { io, channel, clock } = setup({
      reconcile: (statuses, pushed) => {
        reconciled.push({ statuses, a: pushed.get('a'), c: pushed.get('c') })
        return Promise.resolve()
      },
    })
    io.pushStatus('a', 'in task')
    io.pushStatus('c', 'completed')
    clock.advance(POLL_MS - 1)
    expect(channel.sentOf(PacketType.REQUEST_STATUSES)).toEqual([])
    clock.advance(1)
    expect(channel.sentOf(PacketType.REQUEST_STATUSES)).toEqual([
      { subject_id: SYSTEM_SUBJECT_ID, data: {} },
    ])
    clock.advance(POLL_MS)
    expect(channel.sentOf(PacketType.REQUEST_STATUSES)).toHaveLength(2)

    channel.deliver(PacketType.RETURN_STATUSES, SYSTEM_SUBJECT_ID, { a: 'waiting' })
    await io.drain()
    expect(reconciled).toEqual([{ statuses: { a: 'waiting' }, a: 'in task', c: 'completed' }])
  })

  it('drains what is in flight; close stops the poll', async () => {
    const held = deferred<undefined>()
    let done = false
    const { io, channel, clock } = setup({
      submitUnit: async () => {
        await held.promise
        done = true
      },
    })
    channel.deliver(PacketType.SUBMIT_UNIT, 'a', {})
    const drained = io.drain()
    held.resolve(undefined)
    await drained
    expect(done).toBe(true)

    io.close()
    expect(clock.pendingTimers).toBe(0)
    clock.advance(10 * POLL_MS)
    expect(channel.sentOf(PacketType.REQUEST_STATUSES)).toEqual([])
  })

  describe('the stored_acks extension (docs/protocol.md §14)', () => {
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })

    function held(
      channel: FakeChannel,
      type: string,
      subjectId: string,
      data: unknown,
      ack: { request_id: string; submission_id: string | null },
    ): void {
      channel.onPacket({
        ...fullPacket(type, subjectId, data),
        faust_ack: ack,
      } as unknown as RouterToBackendPacket)
    }

    it('answers a held submission faust_stored once its handler has stored it, passing the key', async () => {
      const stored = deferred<undefined>()
      const seen: unknown[] = []
      const { io, channel } = setup({
        submitUnit: async (agentId, data, key) => {
          seen.push({ agentId, data, key })
          await stored.promise
          return { ok: true }
        },
        submitMetadata: () => Promise.resolve(),
      })
      held(
        channel,
        PacketType.SUBMIT_UNIT,
        'a',
        { x: 1 },
        { request_id: 'r1', submission_id: 'k1' },
      )
      held(
        channel,
        PacketType.SUBMIT_METADATA,
        'a',
        { m: 1 },
        { request_id: 'r2', submission_id: null },
      )
      await Promise.resolve()
      expect(seen).toEqual([{ agentId: 'a', data: { x: 1 }, key: 'k1' }])
      expect(channel.sentOf(PacketType.FAUST_STORED)).toEqual([])
      stored.resolve(undefined)
      await io.drain()
      expect(channel.sentOf(PacketType.FAUST_STORED)).toEqual([
        { subject_id: 'a', data: { request_id: 'r1', ok: true } },
        { subject_id: 'a', data: { request_id: 'r2', ok: true } },
      ])
    })

    it("passes on the handler's refusal with its code", async () => {
      const { io, channel } = setup({
        submitUnit: () =>
          Promise.resolve({ ok: false, code: 'ALREADY_SUBMITTED', message: 'other data' }),
      })
      held(channel, PacketType.SUBMIT_UNIT, 'a', {}, { request_id: 'r1', submission_id: null })
      await io.drain()
      expect(channel.sentOf(PacketType.FAUST_STORED)).toEqual([
        {
          subject_id: 'a',
          data: { request_id: 'r1', ok: false, code: 'ALREADY_SUBMITTED', message: 'other data' },
        },
      ])
    })

    it('answers STORE_FAILED when the write throws, naming the SQLite code in the log', async () => {
      const { io, channel, logger } = setup({ submitUnit: () => Promise.reject(full) })
      held(channel, PacketType.SUBMIT_UNIT, 'a', {}, { request_id: 'r1', submission_id: 'k' })
      await io.drain()
      expect(channel.sentOf(PacketType.FAUST_STORED)).toEqual([
        {
          subject_id: 'a',
          data: {
            request_id: 'r1',
            ok: false,
            code: 'STORE_FAILED',
            message: 'the backend could not store the submission (SQLITE_FULL); retry later',
          },
        },
      ])
      expect(logger.lines).toEqual([
        {
          level: 'error',
          message:
            'storing a submission failed (SQLITE_FULL: database or disk is full); nothing changed, a retry may succeed',
        },
      ])
    })

    it("sends no faust_stored for a submission without faust_ack (Mephisto's router)", async () => {
      const { io, channel } = setup({
        submitUnit: () => Promise.resolve({ ok: true }),
        submitMetadata: () => Promise.reject(full),
      })
      channel.deliver(PacketType.SUBMIT_UNIT, 'a', {})
      channel.deliver(PacketType.SUBMIT_METADATA, 'a', {})
      await io.drain()
      expect(channel.sentOf(PacketType.FAUST_STORED)).toEqual([])
    })

    it('answers a held onboarding whose answers could not be stored STORE_FAILED, not "no work"', async () => {
      const { io, channel } = setup({ submitOnboarding: () => Promise.reject(full) })
      held(
        channel,
        PacketType.SUBMIT_ONBOARDING,
        'onboarding_1',
        { onboarding_data: {}, request_id: 'req-1' },
        { request_id: 'r1', submission_id: null },
      )
      await io.drain()
      expect(channel.sentOf(PacketType.AGENT_DETAILS)).toEqual([])
      expect(channel.sentOf(PacketType.FAUST_STORED)).toMatchObject([
        { subject_id: 'onboarding_1', data: { request_id: 'r1', ok: false, code: 'STORE_FAILED' } },
      ])
    })

    it('announces once for the latest open when the channel reopened while the list was read', async () => {
      const reads = [deferred<[string, AgentStatus][]>(), deferred<[string, AgentStatus][]>()]
      let calls = 0
      const { io, channel } = setup({
        liveAgents: () => (reads[calls++] as (typeof reads)[number]).promise,
      })
      channel.onOpen()
      channel.onOpen()
      reads[0]?.resolve([['a', 'in task']])
      await Promise.resolve()
      reads[1]?.resolve([['a', 'in task']])
      await io.drain()
      expect(channel.sent.map((packet) => [packet['packet_type'], packet['subject_id']])).toEqual([
        [PacketType.UPDATE_STATUS, 'a'],
        [PacketType.FAUST_ANNOUNCED, SYSTEM_SUBJECT_ID],
      ])
    })

    it("re-announces the run's non-final agents on every open, then faust_announced", async () => {
      const agents = deferred<[string, AgentStatus][]>()
      const { io, channel } = setup({ liveAgents: () => agents.promise })
      io.pushStatus('pushed-later', 'in task')
      io.pushStatus('b', 'completed')
      channel.sent.length = 0
      channel.onOpen()
      agents.resolve([
        ['a', 'waiting'],
        // Read before this process pushed its final status: not re-announced.
        ['b', 'in task'],
        ['onboarding_c', 'onboarding'],
      ])
      await io.drain()
      expect(channel.sent.map((packet) => [packet['packet_type'], packet['subject_id']])).toEqual([
        [PacketType.UPDATE_STATUS, 'a'],
        [PacketType.UPDATE_STATUS, 'onboarding_c'],
        [PacketType.UPDATE_STATUS, 'pushed-later'],
        [PacketType.FAUST_ANNOUNCED, SYSTEM_SUBJECT_ID],
      ])
      expect(channel.sentOf(PacketType.UPDATE_STATUS)[0]).toEqual({
        subject_id: 'a',
        data: { status: 'waiting' },
      })
    })
  })
})
