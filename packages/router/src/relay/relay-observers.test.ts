import { PacketType, type Logger, silentLogger } from '@faust/protocol'
import { FakeClock } from '@faust/testing'
import { describe, expect, it } from 'vitest'
import type { AgentConnection } from './connection.js'
import { Relay } from './relay.js'
import { RouterObservers, type RouterObserver } from './router-observers.js'

class FakeConnection implements AgentConnection {
  agentId: string | null = null
  isOpen = true
  readonly sent: Record<string, unknown>[] = []

  send(text: string): void {
    this.sent.push(JSON.parse(text) as Record<string, unknown>)
  }

  close(): void {
    this.isOpen = false
  }
}

const HEARTBEAT_TIMEOUT_MS = 15_000

interface Setup {
  relay: Relay
  clock: FakeClock
  observers: RouterObservers
  /** Every event, as `[hook, event]`. */
  events: [string, Record<string, unknown>][]
  /** Advances the latency clock by `ms` during the next observed frame. */
  latency: { stepMs: number }
  warnings: Record<string, unknown>[]
}

function startObservedRelay(): Setup {
  const clock = new FakeClock()
  const warnings: Record<string, unknown>[] = []
  const logger: Logger = {
    ...silentLogger,
    warn: (fields: Record<string, unknown>) => warnings.push(fields),
  }
  const observers = new RouterObservers(logger)
  const latency = { stepMs: 0 }
  let now = 1000
  const relay = new Relay({
    clock,
    logger,
    allowUnknownAgents: false,
    heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS,
    reconnectGraceMs: 10_000,
    requestTimeoutMs: 30_000,
    maxBackendBacklog: 100,
    maxAgentQueue: 100,
    maxPendingRequests: 100,
    generateId: () => 'request-1',
    maxSubmittedAgents: 100,
    submittedAgentTtlMs: 60_000,
    maxEndedAgents: 100,
    observers,
    // Each reading moves on by stepMs: the frame's arrival, then its packet's departure.
    latencyNow: () => (now += latency.stepMs),
  })
  const events: [string, Record<string, unknown>][] = []
  const record =
    (hook: string) =>
    (event: object): void => {
      events.push([hook, { ...event }])
    }
  observers.observe({
    agentConnected: record('agentConnected'),
    agentDisconnected: record('agentDisconnected'),
    heartbeat: record('heartbeat'),
    relayed: record('relayed'),
    backendConnected: record('backendConnected'),
    backendDisconnected: record('backendDisconnected'),
  })
  return { relay, clock, observers, events, latency, warnings }
}

const frame = (packet: Record<string, unknown>): string => JSON.stringify(packet)

function attachBackend(relay: Relay): FakeConnection {
  const backend = new FakeConnection()
  relay.handleBackendFrame(
    backend,
    frame({ packet_type: PacketType.ALIVE, subject_id: 'mephisto' }),
  )
  return backend
}

function pushStatus(relay: Relay, backend: FakeConnection, agentId: string, status: string): void {
  relay.handleBackendFrame(
    backend,
    frame({ packet_type: PacketType.UPDATE_STATUS, subject_id: agentId, data: { status } }),
  )
}

function send(relay: Relay, page: FakeConnection, type: string, agentId: string): void {
  relay.handleAgentFrame(page, frame({ packet_type: type, subject_id: agentId, data: {} }))
}

const ofHook = (events: Setup['events'], hook: string): Record<string, unknown>[] =>
  events.filter(([name]) => name === hook).map(([, event]) => event)

describe('Relay observers', () => {
  it('tells of connects, reconnects, closes and replacements of an agent socket', () => {
    const { relay, clock, events } = startObservedRelay()
    const backend = attachBackend(relay)
    pushStatus(relay, backend, 'agent-1', 'in task')
    const first = new FakeConnection()
    send(relay, first, PacketType.ALIVE, 'agent-1')
    clock.advance(500)
    relay.handleAgentClose(first)
    const second = new FakeConnection()
    send(relay, second, PacketType.ALIVE, 'agent-1')
    const third = new FakeConnection()
    send(relay, third, PacketType.HEARTBEAT, 'agent-1')

    const lifecycle = events
      .filter(([hook]) => hook.startsWith('agent'))
      .map(([hook, event]) => [hook, event['reason'] ?? event['reconnect']])
    expect(lifecycle).toEqual([
      ['agentConnected', false],
      ['agentDisconnected', 'closed'],
      ['agentConnected', true],
      ['agentDisconnected', 'replaced'],
      ['agentConnected', true],
    ])
    expect(ofHook(events, 'agentDisconnected')[0]).toEqual({
      agentId: 'agent-1',
      at: clock.now() - 0,
      reason: 'closed',
    })
  })

  it('gives each heartbeat its gap since the previous one, and no RTT the timestamps cannot give', () => {
    const { relay, clock, events } = startObservedRelay()
    const backend = attachBackend(relay)
    pushStatus(relay, backend, 'agent-1', 'in task')
    const page = new FakeConnection()
    send(relay, page, PacketType.ALIVE, 'agent-1')
    clock.advance(6000)
    send(relay, page, PacketType.HEARTBEAT, 'agent-1')
    clock.advance(9000)
    send(relay, page, PacketType.HEARTBEAT, 'agent-1')

    expect(ofHook(events, 'heartbeat').map((event) => [event['gapMs'], event['rttMs']])).toEqual([
      [0, null],
      [6000, null],
      [9000, null],
    ])
  })

  it('passes on the round trip a page reported as faust_rtt_ms, only when it is plausible', () => {
    const { relay, clock, events } = startObservedRelay()
    const backend = attachBackend(relay)
    pushStatus(relay, backend, 'agent-1', 'in task')
    const page = new FakeConnection()
    send(relay, page, PacketType.ALIVE, 'agent-1')
    for (const reported of [42.4, 0, 60_000, -1, 60_001, Number.NaN, '42', null]) {
      clock.advance(6000)
      relay.handleAgentFrame(
        page,
        frame({ packet_type: PacketType.HEARTBEAT, subject_id: 'agent-1', faust_rtt_ms: reported }),
      )
    }
    expect(ofHook(events, 'heartbeat').map((event) => event['rttMs'])).toEqual([
      null, // the alive
      42,
      0,
      60_000,
      null,
      null,
      null,
      null,
      null,
    ])
  })

  it('tells of a heartbeat timeout once, as the reason the agent went', () => {
    const { relay, clock, events } = startObservedRelay()
    const backend = attachBackend(relay)
    pushStatus(relay, backend, 'agent-1', 'in task')
    send(relay, new FakeConnection(), PacketType.ALIVE, 'agent-1')
    clock.advance(HEARTBEAT_TIMEOUT_MS + 1000)

    expect(ofHook(events, 'agentDisconnected')).toEqual([
      { agentId: 'agent-1', at: expect.any(Number) as number, reason: 'heartbeat_timeout' },
    ])
  })

  it("measures each relayed packet's time through the router, both ways", () => {
    const { relay, events, latency } = startObservedRelay()
    const backend = attachBackend(relay)
    pushStatus(relay, backend, 'agent-1', 'in task')
    const page = new FakeConnection()
    send(relay, page, PacketType.ALIVE, 'agent-1')
    events.length = 0
    latency.stepMs = 3
    send(relay, page, PacketType.MEPHISTO_BOUND_LIVE_UPDATE, 'agent-1')
    relay.handleBackendFrame(
      backend,
      frame({
        packet_type: PacketType.CLIENT_BOUND_LIVE_UPDATE,
        subject_id: 'agent-1',
        data: { text: 'hi' },
      }),
    )
    send(relay, page, PacketType.HEARTBEAT, 'agent-1')

    expect(ofHook(events, 'relayed')).toEqual([
      { kind: PacketType.MEPHISTO_BOUND_LIVE_UPDATE, direction: 'to_backend', latencyMs: 3 },
      { kind: PacketType.CLIENT_BOUND_LIVE_UPDATE, direction: 'to_agent', latencyMs: 3 },
      { kind: PacketType.HEARTBEAT, direction: 'to_agent', latencyMs: 3 },
    ])
  })

  it('does not count a packet kept for an absent backend as relayed', () => {
    const { relay, events } = startObservedRelay()
    const backend = attachBackend(relay)
    pushStatus(relay, backend, 'agent-1', 'in task')
    const page = new FakeConnection()
    send(relay, page, PacketType.ALIVE, 'agent-1')
    relay.handleBackendClose(backend, 1006)
    events.length = 0
    send(relay, page, PacketType.MEPHISTO_BOUND_LIVE_UPDATE, 'agent-1')
    expect(ofHook(events, 'relayed')).toEqual([])
    attachBackend(relay)
    send(relay, page, PacketType.MEPHISTO_BOUND_LIVE_UPDATE, 'agent-1')
    expect(ofHook(events, 'relayed').map((event) => event['direction'])).toEqual(['to_backend'])
  })

  it('tells of the backend attaching, being replaced and leaving', () => {
    const { relay, events } = startObservedRelay()
    attachBackend(relay)
    const second = attachBackend(relay)
    relay.handleBackendClose(second, 1000)
    expect(events.map(([hook]) => hook)).toEqual([
      'backendConnected',
      'backendDisconnected',
      'backendConnected',
      'backendDisconnected',
    ])
  })

  it('logs an observer that throws and goes on relaying to the others', () => {
    const { relay, observers, events, warnings } = startObservedRelay()
    observers.observe({
      backendConnected: () => {
        throw new Error('broken observer')
      },
    })
    const backend = attachBackend(relay)
    expect(relay.isBackend(backend)).toBe(true)
    expect(events.map(([hook]) => hook)).toEqual(['backendConnected'])
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'ROUTER_OBSERVER_FAILED', hook: 'backendConnected' }),
    ])
  })

  it('stops telling an observer once it unsubscribes, and reads no latency clock unobserved', () => {
    const clock = new FakeClock()
    const observers = new RouterObservers(silentLogger)
    let readings = 0
    const relay = new Relay({
      clock,
      logger: silentLogger,
      allowUnknownAgents: true,
      heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS,
      reconnectGraceMs: 10_000,
      requestTimeoutMs: 30_000,
      maxBackendBacklog: 100,
      maxAgentQueue: 100,
      maxPendingRequests: 100,
      generateId: () => 'request-1',
      maxSubmittedAgents: 100,
      submittedAgentTtlMs: 60_000,
      maxEndedAgents: 100,
      observers,
      latencyNow: () => ++readings,
    })
    const seen: string[] = []
    const observer: RouterObserver = { relayed: (event) => seen.push(event.kind) }
    const stop = observers.observe(observer)
    const backend = attachBackend(relay)
    const page = new FakeConnection()
    send(relay, page, PacketType.HEARTBEAT, 'agent-1')
    stop()
    expect(observers.active).toBe(false)
    const before = readings
    send(relay, page, PacketType.HEARTBEAT, 'agent-1')
    pushStatus(relay, backend, 'agent-1', 'in task')
    expect(seen).toEqual([PacketType.HEARTBEAT])
    expect(readings).toBe(before)
  })

  it('times frames only while some observer has a relayed hook', () => {
    const observers = new RouterObservers(silentLogger)
    const stopEvents = observers.observe({ heartbeat: () => undefined })
    expect([observers.active, observers.timing]).toEqual([true, false])
    const stopRelayed = observers.observe({ relayed: () => undefined })
    expect([observers.active, observers.timing]).toEqual([true, true])
    stopRelayed()
    expect([observers.active, observers.timing]).toEqual([true, false])
    stopEvents()
    expect([observers.active, observers.timing]).toEqual([false, false])
  })
})
