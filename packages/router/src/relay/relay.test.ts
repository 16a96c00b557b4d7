import { CloseCode, ErrorCode, PacketType, silentLogger } from '@faust/protocol'
import { FakeClock } from '@faust/testing'
import { describe, expect, it } from 'vitest'
import type { AgentConnection } from './connection.js'
import { Relay, type RelayOptions } from './relay.js'
import { RouterError } from './router-error.js'

type Packet = Record<string, unknown> & { packet_type: string; subject_id: string | null }

/** A socket in memory: what the relay sent it, decoded, and how it was closed. */
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

  /** The packets of `type` sent so far, oldest first. */
  ofType(type: string): Packet[] {
    return this.sent.filter((packet) => packet.packet_type === type)
  }

  /** The statuses pushed to this page, oldest first. */
  statuses(): unknown[] {
    return this.ofType(PacketType.UPDATE_STATUS).map(
      (packet) => (packet['data'] as Packet)['status'],
    )
  }
}

const HEARTBEAT_TIMEOUT_MS = 15_000
const RECONNECT_GRACE_MS = 10_000
const REQUEST_TIMEOUT_MS = 30_000

function startRelay(overrides: Partial<RelayOptions> = {}): { relay: Relay; clock: FakeClock } {
  const clock = new FakeClock()
  let requests = 0
  const relay = new Relay({
    clock,
    logger: silentLogger,
    allowUnknownAgents: false,
    heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS,
    reconnectGraceMs: RECONNECT_GRACE_MS,
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
  return { relay, clock }
}

/** What `action` threw (it must throw). */
function thrownBy(action: () => void): unknown {
  try {
    action()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

const frame = (packet: Record<string, unknown>): string => JSON.stringify(packet)

/** A backend socket that has said `alive`. */
function attachBackend(relay: Relay): FakeConnection {
  const backend = new FakeConnection()
  relay.handleBackendFrame(
    backend,
    frame({ packet_type: PacketType.ALIVE, subject_id: 'mephisto' }),
  )
  return backend
}

/** The backend pushes `status` for `agentId` (which admits the id). */
function pushStatus(relay: Relay, backend: FakeConnection, agentId: string, status: string): void {
  relay.handleBackendFrame(
    backend,
    frame({ packet_type: PacketType.UPDATE_STATUS, subject_id: agentId, data: { status } }),
  )
}

/** A worker's page that opened its socket and said `alive` for `agentId`. */
function connectAgent(relay: Relay, agentId: string): FakeConnection {
  const page = new FakeConnection()
  relay.handleAgentFrame(page, frame({ packet_type: PacketType.ALIVE, subject_id: agentId }))
  return page
}

function heartbeat(relay: Relay, page: FakeConnection, agentId: string): void {
  relay.handleAgentFrame(page, frame({ packet_type: PacketType.HEARTBEAT, subject_id: agentId }))
}

/** The backend's status poll; returns the statuses the relay answered with. */
function pollStatuses(relay: Relay, backend: FakeConnection): unknown {
  relay.handleBackendFrame(
    backend,
    frame({ packet_type: PacketType.REQUEST_STATUSES, subject_id: 'mephisto', data: {} }),
  )
  return backend.ofType(PacketType.RETURN_STATUSES).at(-1)?.['data']
}

const registration = {
  provider_data: { worker_name: 'worker-1', agent_registration_id: 'registration-1' },
}

/** `/request_agent` answered by the backend with `agentId`. */
async function registerAgent(
  relay: Relay,
  backend: FakeConnection,
  agentId: string,
): Promise<void> {
  const answer = relay.requestAgent(registration)
  const register = backend.ofType(PacketType.REGISTER_AGENT).at(-1)
  const requestId = (register?.['data'] as Packet | undefined)?.['request_id']
  relay.handleBackendFrame(
    backend,
    frame({
      packet_type: PacketType.AGENT_DETAILS,
      subject_id: requestId,
      data: { request_id: requestId, agent_id: agentId, worker_id: 'worker-1' },
    }),
  )
  await answer
}

describe('Relay: the backend', () => {
  it("attaches the socket that says alive as mephisto, and ignores any other socket's packets", () => {
    const { relay } = startRelay()
    const stranger = new FakeConnection()
    relay.handleBackendFrame(
      stranger,
      frame({ packet_type: PacketType.ALIVE, subject_id: 'not-mephisto' }),
    )
    pushStatus(relay, stranger, 'agent-1', 'in task')
    expect(relay.isBackend(stranger)).toBe(false)
    expect(relay.isAdmitted('agent-1')).toBe(false)

    const backend = attachBackend(relay)
    expect(relay.isBackend(backend)).toBe(true)
    expect(relay.stats().backendAttached).toBe(true)
  })

  it('closes the previous backend with 4409 when another one attaches', () => {
    const { relay } = startRelay()
    const first = attachBackend(relay)
    const second = attachBackend(relay)
    expect(first.closedWith?.code).toBe(CloseCode.BACKEND_REPLACED)
    expect(relay.isBackend(first)).toBe(false)
    expect(relay.isBackend(second)).toBe(true)
    expect(second.closedWith).toBeNull()
  })

  it('keeps backend-bound packets in order while the backend is away and delivers them on reattach', () => {
    const { relay } = startRelay()
    const first = attachBackend(relay)
    pushStatus(relay, first, 'agent-1', 'in task')
    const page = connectAgent(relay, 'agent-1')
    relay.handleBackendClose(first, 1006)
    first.isOpen = false
    for (const n of [1, 2]) {
      relay.handleAgentFrame(
        page,
        frame({
          packet_type: PacketType.MEPHISTO_BOUND_LIVE_UPDATE,
          subject_id: 'agent-1',
          data: { n },
        }),
      )
    }
    expect(relay.stats()).toMatchObject({ backendAttached: false, backendBacklog: 2 })

    const second = attachBackend(relay)
    const updates = second.ofType(PacketType.MEPHISTO_BOUND_LIVE_UPDATE)
    expect(updates.map((packet) => packet['data'])).toEqual([{ n: 1 }, { n: 2 }])
    expect(relay.stats().backendBacklog).toBe(0)
  })

  it('refuses a submission with BACKLOG_FULL only once the backlog is full', () => {
    const { relay } = startRelay({ maxBackendBacklog: 1 })
    const backend = attachBackend(relay)
    pushStatus(relay, backend, 'agent-1', 'in task')
    relay.handleBackendClose(backend, 1006)
    backend.isOpen = false
    const submission = { agentId: 'agent-1', data: { note: 'x' }, clientTimestamp: null }
    relay.submitMetadata(submission)
    expect(
      thrownBy(() => {
        relay.submitMetadata(submission)
      }),
    ).toMatchObject({ code: ErrorCode.BACKLOG_FULL })
  })
})

describe('Relay: admission', () => {
  it('closes a socket for an id the backend never issued with 4404, and keeps no record', () => {
    const { relay } = startRelay()
    attachBackend(relay)
    const page = connectAgent(relay, 'agent-unknown')
    expect(page.closedWith?.code).toBe(CloseCode.AGENT_UNKNOWN)
    expect(relay.stats().agents).toBe(0)
    expect(
      thrownBy(() => {
        relay.submitMetadata({ agentId: 'agent-unknown', data: {}, clientTimestamp: null })
      }),
    ).toMatchObject({ code: ErrorCode.AGENT_UNKNOWN })
  })

  it('admits the id named in agent_details, and answers its alive with its status', async () => {
    const { relay } = startRelay()
    const backend = attachBackend(relay)
    await registerAgent(relay, backend, 'agent-1')
    expect(relay.isAdmitted('agent-1')).toBe(true)
    const page = connectAgent(relay, 'agent-1')
    expect(page.closedWith).toBeNull()
    expect(page.statuses()).toEqual(['none'])
  })

  it('admits nothing from an agent_details nobody is waiting for', () => {
    const { relay } = startRelay()
    const backend = attachBackend(relay)
    relay.handleBackendFrame(
      backend,
      frame({
        packet_type: PacketType.AGENT_DETAILS,
        subject_id: 'request-x',
        data: { request_id: 'request-x', agent_id: 'agent-late' },
      }),
    )
    expect(relay.isAdmitted('agent-late')).toBe(false)
  })

  it('lets only the backend speak as mephisto: a page that tries is closed with 4401', () => {
    const { relay } = startRelay()
    const page = connectAgent(relay, 'mephisto')
    expect(page.closedWith?.code).toBe(CloseCode.NOT_AUTHORIZED)
  })
})

describe('Relay: routing', () => {
  it('sends each backend packet to the page of its subject_id only', () => {
    const { relay } = startRelay()
    const backend = attachBackend(relay)
    pushStatus(relay, backend, 'agent-1', 'in task')
    pushStatus(relay, backend, 'agent-2', 'in task')
    const one = connectAgent(relay, 'agent-1')
    const two = connectAgent(relay, 'agent-2')
    relay.handleBackendFrame(
      backend,
      frame({
        packet_type: PacketType.CLIENT_BOUND_LIVE_UPDATE,
        subject_id: 'agent-2',
        data: { text: 'for two' },
      }),
    )
    expect(one.ofType(PacketType.CLIENT_BOUND_LIVE_UPDATE)).toEqual([])
    expect(two.ofType(PacketType.CLIENT_BOUND_LIVE_UPDATE).map((packet) => packet['data'])).toEqual(
      [{ text: 'for two' }],
    )
  })

  it("sends a page's live update to the backend with the router's timestamps", () => {
    const { relay, clock } = startRelay()
    const backend = attachBackend(relay)
    pushStatus(relay, backend, 'agent-1', 'in task')
    const page = connectAgent(relay, 'agent-1')
    relay.handleAgentFrame(
      page,
      frame({
        packet_type: PacketType.MEPHISTO_BOUND_LIVE_UPDATE,
        subject_id: 'agent-1',
        data: { answer: 42 },
      }),
    )
    const [update] = backend.ofType(PacketType.MEPHISTO_BOUND_LIVE_UPDATE)
    expect(update).toMatchObject({
      subject_id: 'agent-1',
      data: { answer: 42 },
      router_incoming_timestamp: clock.now() / 1000,
      router_outgoing_timestamp: clock.now() / 1000,
    })
  })

  it('queues packets for a page without a socket and delivers them after its status on alive', () => {
    const { relay } = startRelay()
    const backend = attachBackend(relay)
    pushStatus(relay, backend, 'agent-1', 'waiting')
    pushStatus(relay, backend, 'agent-1', 'in task')
    relay.handleBackendFrame(
      backend,
      frame({
        packet_type: PacketType.CLIENT_BOUND_LIVE_UPDATE,
        subject_id: 'agent-1',
        data: { n: 1 },
      }),
    )
    const page = connectAgent(relay, 'agent-1')
    // The current status first; the queued older statuses are left out.
    expect(page.sent.map((packet) => packet.packet_type)).toEqual([
      PacketType.UPDATE_STATUS,
      PacketType.CLIENT_BOUND_LIVE_UPDATE,
    ])
    expect(page.statuses()).toEqual(['in task'])
  })

  it('closes the older socket with 4410 when a newer one says alive for the same agent', () => {
    const { relay } = startRelay()
    const backend = attachBackend(relay)
    pushStatus(relay, backend, 'agent-1', 'in task')
    const older = connectAgent(relay, 'agent-1')
    const newer = connectAgent(relay, 'agent-1')
    expect(older.closedWith?.code).toBe(CloseCode.REPLACED_BY_NEWER_SOCKET)
    expect(newer.closedWith).toBeNull()
  })
})

describe('Relay: liveness', () => {
  it('marks a live agent whose heartbeats stopped disconnect, tells it, and reports it', () => {
    const { relay, clock } = startRelay()
    const backend = attachBackend(relay)
    pushStatus(relay, backend, 'agent-1', 'in task')
    const page = connectAgent(relay, 'agent-1')
    heartbeat(relay, page, 'agent-1')
    clock.advance(HEARTBEAT_TIMEOUT_MS - 1000)
    heartbeat(relay, page, 'agent-1')
    clock.advance(HEARTBEAT_TIMEOUT_MS - 1000)
    expect(page.statuses()).toEqual(['in task'])

    clock.advance(2000)
    expect(page.statuses()).toEqual(['in task', 'disconnect'])
    expect(pollStatuses(relay, backend)).toEqual({ 'agent-1': 'disconnect' })
  })

  it('answers a heartbeat with the backend ping time and the current status', () => {
    const { relay, clock } = startRelay()
    const backend = attachBackend(relay)
    pushStatus(relay, backend, 'agent-1', 'in task')
    clock.advance(500)
    pollStatuses(relay, backend)
    const page = connectAgent(relay, 'agent-1')
    heartbeat(relay, page, 'agent-1')
    expect(page.ofType(PacketType.HEARTBEAT).at(-1)?.['data']).toEqual({
      last_mephisto_ping: clock.now(),
      status: 'in task',
    })
  })

  it('gives a closed socket the reconnect grace: back in time it stays live, else disconnect', () => {
    const { relay, clock } = startRelay()
    const backend = attachBackend(relay)
    pushStatus(relay, backend, 'agent-1', 'in task')
    pushStatus(relay, backend, 'agent-2', 'in task')
    for (const agentId of ['agent-1', 'agent-2']) {
      const page = connectAgent(relay, agentId)
      page.isOpen = false
      relay.handleAgentClose(page)
    }
    clock.advance(RECONNECT_GRACE_MS - 1)
    const back = connectAgent(relay, 'agent-1')
    clock.advance(1)
    expect(pollStatuses(relay, backend)).toEqual({ 'agent-2': 'disconnect', 'agent-1': 'in task' })
    expect(back.statuses()).toEqual(['in task'])
  })
})

describe('Relay: held registrations', () => {
  it('fails a registration the backend does not answer with TIMEOUT, on the clock', async () => {
    const { relay, clock } = startRelay()
    attachBackend(relay)
    const answer = relay.requestAgent(registration)
    expect(relay.stats().pendingRequests).toBe(1)
    clock.advance(REQUEST_TIMEOUT_MS)
    await expect(answer).rejects.toMatchObject({ code: ErrorCode.TIMEOUT })
    expect(relay.stats().pendingRequests).toBe(0)
  })

  it('refuses a registration at once without a backend, and fails held ones on close', async () => {
    const { relay } = startRelay()
    await expect(relay.requestAgent(registration)).rejects.toMatchObject({
      code: ErrorCode.BACKEND_UNAVAILABLE,
    })
    attachBackend(relay)
    const held = relay.requestAgent(registration)
    relay.close()
    await expect(held).rejects.toBeInstanceOf(RouterError)
    await expect(held).rejects.toMatchObject({ code: ErrorCode.SHUTTING_DOWN })
  })
})

describe('Relay: ended agents', () => {
  it('releases an agent on a final status, answers its late alive, and reports the end once', () => {
    const { relay } = startRelay()
    const backend = attachBackend(relay)
    pushStatus(relay, backend, 'agent-1', 'in task')
    const page = connectAgent(relay, 'agent-1')
    pushStatus(relay, backend, 'agent-1', 'completed')
    expect(page.statuses()).toEqual(['in task', 'completed'])
    expect(relay.stats()).toMatchObject({ agents: 0, admittedAgents: 0, endedAgents: 1 })

    const reload = connectAgent(relay, 'agent-1')
    expect(reload.closedWith).toBeNull()
    expect(reload.statuses()).toEqual(['completed'])
    expect(relay.stats().agents).toBe(0)
    expect(pollStatuses(relay, backend)).toEqual({ 'agent-1': 'completed' })
    expect(pollStatuses(relay, backend)).toEqual({})
  })

  it('hands in a submission once: the same data again is relayed, other data is ALREADY_SUBMITTED', () => {
    const { relay } = startRelay()
    const backend = attachBackend(relay)
    pushStatus(relay, backend, 'agent-1', 'in task')
    const submission = { agentId: 'agent-1', data: { answer: 1 }, clientTimestamp: null }
    relay.submitUnit(submission, 'digest-1')
    relay.submitUnit(submission, 'digest-1')
    expect(
      thrownBy(() => {
        relay.submitUnit({ ...submission, data: { answer: 2 } }, 'digest-2')
      }),
    ).toMatchObject({ code: ErrorCode.ALREADY_SUBMITTED })
    expect(backend.ofType(PacketType.SUBMIT_UNIT)).toHaveLength(2)
    // Handed in is ended for the router, but not reported: the backend has the submission.
    expect(relay.stats()).toMatchObject({ agents: 0, endedAgents: 1 })
    expect(pollStatuses(relay, backend)).toEqual({})
  })

  it('brings an ended agent back when the backend names it live again', () => {
    const { relay } = startRelay()
    const backend = attachBackend(relay)
    pushStatus(relay, backend, 'agent-1', 'in task')
    const page = connectAgent(relay, 'agent-1')
    page.isOpen = false
    relay.handleAgentClose(page)
    pushStatus(relay, backend, 'agent-1', 'disconnect')
    pushStatus(relay, backend, 'agent-1', 'in task')
    expect(relay.stats()).toMatchObject({ agents: 1, endedAgents: 0 })
    expect(connectAgent(relay, 'agent-1').statuses()).toEqual(['in task'])
  })
})
