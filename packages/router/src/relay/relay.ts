import {
  AgentStatus,
  AgentToRouterPacket,
  BackendToRouterPacket,
  CloseCode,
  DEFAULT_JSON_LIMITS,
  ErrorCode,
  FINAL_AGENT_STATUSES,
  LIVE_AGENT_STATUSES,
  PacketType,
  SYSTEM_SUBJECT_ID,
  decodePacket,
  isLiveUpdate,
  ok,
  parseLimitedJson,
  toWireSeconds,
  versionMismatchText,
  type AgentDetailsPacket,
  type Clock,
  type FaustStoredPacket,
  type JsonLimits,
  type Logger,
  type RequestAgentBody,
  type SubmitOnboardingBody,
  type TimerHandle,
  type ProtocolError,
  type Result,
} from '@faust/protocol'
import type * as v from 'valibot'
import { AgentRegistry, type RoutedAgent } from './agent-registry.js'
import { BackendAnnouncement } from './backend-announcement.js'
import { BackendLink } from './backend-link.js'
import type { AgentConnection, Connection } from './connection.js'
import { PacketEncoder } from './packet-encoder.js'
import { HeldSubmissions, type HeldSubmission } from './held-submissions.js'
import { PendingRequests, STORED, type HeldOutcome } from './pending-requests.js'
import { closeReplacedSocket, isHeldByAnother } from './replaced-socket.js'
import { RouterError } from './router-error.js'
import {
  RouterObservers,
  type AgentDisconnectReason,
  type RelayDirection,
} from './router-observers.js'
import { SubmittedAgents } from './submitted-agents.js'

/** Everything the relay needs; {@link createRouter} fills in the defaults. */
export interface RelayOptions {
  readonly clock: Clock
  readonly logger: Logger
  readonly allowUnknownAgents: boolean
  readonly heartbeatTimeoutMs: number
  readonly reconnectGraceMs: number
  readonly requestTimeoutMs: number
  readonly maxBackendBacklog: number
  readonly maxAgentQueue: number
  readonly maxPendingRequests: number
  readonly generateId: () => string
  // ---- duplicate submissions (submitted-agents.ts)
  readonly maxSubmittedAgents: number
  readonly submittedAgentTtlMs: number
  /** Shape limits on what workers send (frames and HTTP bodies). @default DEFAULT_JSON_LIMITS */
  readonly jsonLimits?: JsonLimits | undefined
  /** Shape limits on the backend's frames. @default DEFAULT_JSON_LIMITS */
  readonly backendJsonLimits?: JsonLimits | undefined
  /** Ended agents remembered so late packets are still answered as theirs. */
  readonly maxEndedAgents: number
  /** Who watches the relay (router-observers.ts). @default none */
  readonly observers?: RouterObservers | undefined
  /** A monotonic millisecond time for relay latencies. @default performance.now */
  readonly latencyNow?: (() => number) | undefined
}

/** What goes to the backend from an HTTP submission. */
export interface HttpSubmission {
  readonly agentId: string
  readonly data: unknown
  readonly clientTimestamp: number | null
  /**
   * The client's `Idempotency-Key` (already checked against
   * SUBMISSION_ID_PATTERN), passed on as `faust_ack.submission_id`.
   */
  readonly submissionId?: string | null | undefined
}

/** Counts for diagnostics and the benchmark. */
export interface RelayStats {
  readonly agents: number
  readonly pendingRequests: number
  readonly backendAttached: boolean
  readonly backendBacklog: number
  /** Ids the backend issued whose unit has not ended. */
  readonly admittedAgents: number
  /** Ended agents remembered (bounded by `maxEndedAgents`). */
  readonly endedAgents: number
}

type Packet = Record<string, unknown>

export type { HeldSubmission }

/**
 * The router's transport-free core: who the backend is, which agent each
 * socket speaks for, each agent's cached status and waiting packets, held
 * registrations, and liveness. Every packet is handled when it arrives; there
 * is no polling loop.
 */
export class Relay {
  readonly #options: RelayOptions
  readonly #clock: Clock
  readonly #log: Logger
  readonly #agents: AgentRegistry
  readonly #backend: BackendLink
  readonly #pending: PendingRequests
  readonly #encoder: PacketEncoder
  readonly #jsonLimits: JsonLimits
  readonly #backendJsonLimits: JsonLimits
  readonly #sweepTimer: TimerHandle
  readonly #submitted: SubmittedAgents
  #lastMephistoPingMs: number
  #closed = false
  /** Extensions and re-announcement of the backend (docs/protocol.md §14). */
  readonly #announcement = new BackendAnnouncement()
  readonly #held: HeldSubmissions
  readonly #observers: RouterObservers
  readonly #latencyNow: () => number
  /** When the frame being handled arrived (latencyNow), or -1 outside a frame or unobserved. */
  #frameStart = -1

  constructor(options: RelayOptions) {
    this.#options = options
    this.#clock = options.clock
    this.#log = options.logger
    this.#observers = options.observers ?? new RouterObservers(options.logger)
    this.#latencyNow = options.latencyNow ?? (() => performance.now())
    this.#agents = new AgentRegistry(options.allowUnknownAgents, options.maxEndedAgents)
    this.#encoder = new PacketEncoder(options.clock)
    this.#jsonLimits = options.jsonLimits ?? DEFAULT_JSON_LIMITS
    this.#backendJsonLimits = options.backendJsonLimits ?? DEFAULT_JSON_LIMITS
    this.#backend = new BackendLink({ maxBacklog: options.maxBackendBacklog })
    this.#pending = new PendingRequests({
      clock: options.clock,
      timeoutMs: options.requestTimeoutMs,
      max: options.maxPendingRequests,
    })
    this.#held = new HeldSubmissions({ pending: this.#pending, backend: this.#backend })
    this.#submitted = new SubmittedAgents({
      clock: options.clock,
      max: options.maxSubmittedAgents,
      ttlMs: options.submittedAgentTtlMs,
    })
    // The reference initialises the backend ping to the router's start time.
    this.#lastMephistoPingMs = this.#clock.now()
    // Checking a few times per timeout keeps detection within ~25% of it
    // without a timer per agent.
    const sweepEveryMs = Math.max(250, Math.min(1000, Math.floor(options.heartbeatTimeoutMs / 4)))
    this.#sweepTimer = this.#clock.setInterval(() => {
      this.#sweep()
    }, sweepEveryMs)
  }

  stats(): RelayStats {
    return {
      agents: this.#agents.size,
      pendingRequests: this.#pending.size,
      backendAttached: this.#backend.isAttached,
      backendBacklog: this.#backend.backlogSize,
      admittedAgents: this.#agents.admittedCount,
      endedAgents: this.#agents.endedCount,
    }
  }

  /** Whether `connection` is the attached backend (it has sent `alive` as `mephisto`). */
  isBackend(connection: Connection): boolean {
    return this.#backend.connection === connection
  }

  /** Whether the backend has issued `agentId` (or unknown agents are allowed). */
  isAdmitted(agentId: string): boolean {
    return this.#agents.isAdmitted(agentId)
  }

  // ---------------------------------------------------------------- backend

  /** A text frame from an authenticated (backend-secret) socket. */
  handleBackendFrame(connection: Connection, text: string): void {
    if (!this.#observers.timing) {
      this.#onBackendFrame(connection, text)
      return
    }
    this.#frameStart = this.#latencyNow()
    try {
      this.#onBackendFrame(connection, text)
    } finally {
      this.#frameStart = -1
    }
  }

  #onBackendFrame(connection: Connection, text: string): void {
    const decoded = decodeFrame(text, BackendToRouterPacket, {
      liveType: PacketType.CLIENT_BOUND_LIVE_UPDATE,
      limits: this.#backendJsonLimits,
    })
    if (!decoded.ok) {
      // The backend is trusted and one bad packet must not cut every worker
      // off, so the packet is dropped and reported instead of closing.
      this.#log.warn(
        { code: decoded.error.code },
        `dropped a bad packet from the backend: ${decoded.error.message}`,
      )
      return
    }
    const packet = decoded.value
    if (packet.packet_type === PacketType.ALIVE) {
      if (packet.subject_id !== SYSTEM_SUBJECT_ID) {
        this.#log.warn(
          { subject: packet.subject_id },
          "ignored a backend 'alive' whose subject_id is not 'mephisto'",
        )
        return
      }
      this.#attachBackend(connection, packet.data)
      return
    }
    if (this.#backend.connection !== connection) {
      this.#log.warn(
        { type: packet.packet_type },
        "ignored a packet from a backend socket that has not sent 'alive'",
      )
      return
    }
    packet.router_incoming_timestamp = this.#nowSeconds()
    switch (packet.packet_type) {
      case PacketType.AGENT_DETAILS:
        this.#onAgentDetails(packet)
        return
      case PacketType.UPDATE_STATUS: {
        const ended = this.#agents.ended
        const status = packet.data.status
        if (ended.has(packet.subject_id)) {
          // The backend is the authority on statuses (docs/protocol.md §5.4): a live one brings
          // the agent back, except an answered onboarding's (its page went on
          // under another id, and verdicts are never pushed to end it again).
          if (FINAL_AGENT_STATUSES.has(status) || !ended.isRevivable(packet.subject_id)) {
            ended.update(packet.subject_id, status)
            this.#toEndedAgent(packet.subject_id, packet)
            return
          }
          this.#agents.revive(packet.subject_id)
        }
        this.#agents.admit(packet.subject_id)
        const record = this.#agents.getOrCreate(packet.subject_id)
        record.status = packet.data.status
        if (!LIVE_AGENT_STATUSES.has(record.status)) this.#clearGrace(record)
        this.#deliver(record, packet)
        // Delivered (or not: a reload is answered from the ended agents), then released.
        if (FINAL_AGENT_STATUSES.has(record.status)) this.#end(record.id, record.status)
        return
      }
      case PacketType.CLIENT_BOUND_LIVE_UPDATE:
        if (this.#agents.ended.has(packet.subject_id)) {
          this.#toEndedAgent(packet.subject_id, packet)
          return
        }
        this.#agents.admit(packet.subject_id)
        this.#deliver(this.#agents.getOrCreate(packet.subject_id), packet)
        return
      case PacketType.REQUEST_STATUSES:
        this.#onRequestStatuses(packet.server_timestamp ?? null, packet.router_incoming_timestamp)
        return
      case PacketType.FAUST_ANNOUNCED:
        this.#announcement.announced()
        this.#log.info({}, 'the backend re-announced its agents')
        return
      case PacketType.FAUST_STORED:
        this.#onStored(packet)
        return
    }
  }

  /** An authenticated socket closed. */
  handleBackendClose(connection: Connection, code?: number): void {
    if (!this.#backend.detach(connection)) return
    if (this.#observers.active)
      this.#observers.emit('backendDisconnected', { at: this.#clock.now() })
    this.#announcement.detached()
    this.#held.failInFlight()
    // A backend that says goodbye (1000) is ending its run; anything else is a lost link.
    const message = 'the backend disconnected; backend-bound packets are kept until it is back'
    if (code === 1000) this.#log.info({ code }, message)
    else this.#log.warn({ code }, message)
  }

  #attachBackend(connection: Connection, aliveData: unknown): void {
    // What went to a replaced socket is lost with it: its held replies are told so.
    if (this.#backend.connection !== connection) this.#held.failInFlight()
    const isNew = this.#backend.connection !== connection
    const replaced = isNew && this.#backend.connection !== null
    const acks = this.#announcement.attached(aliveData)
    const previous = this.#backend.attach(connection, (held) => this.#held.deliver(held, acks))
    if (previous?.isOpen === true) {
      previous.close(CloseCode.BACKEND_REPLACED, 'another backend socket took over')
    }
    if (this.#observers.active && isNew) {
      const at = this.#clock.now()
      // A replaced socket's later close is not the attached backend's: it is told here.
      if (replaced) this.#observers.emit('backendDisconnected', { at })
      this.#observers.emit('backendConnected', { at })
    }
    this.#log.info({ extensions: [...this.#announcement.extensions] }, 'backend attached')
  }

  /** `faust_stored`: the backend's answer to a held submission. */
  #onStored(packet: FaustStoredPacket): void {
    const data = packet.data
    const outcome = data.ok ? true : new RouterError(data.code, data.message)
    if (!this.#pending.confirm(data.request_id, outcome)) {
      this.#log.debug(
        { requestId: data.request_id },
        'faust_stored for a request no longer held; dropped',
      )
    }
  }

  #onAgentDetails(packet: AgentDetailsPacket): void {
    const requestId = packet.data.request_id ?? packet.subject_id
    // Admit first: the page may open its socket as soon as it has the answer.
    // An answer nobody is waiting for admits nothing (no page ever saw the id).
    const agentId = packet.data.agent_id
    const newlyAdmitted = agentId !== null && !this.#agents.isAdmitted(agentId)
    if (agentId !== null) this.#agents.admit(agentId)
    if (!this.#pending.settle(requestId, packet)) {
      if (newlyAdmitted) this.#agents.revoke(agentId)
      this.#log.debug({ requestId }, 'agent_details for a request no longer held; dropped')
    }
  }

  #onRequestStatuses(serverTimestamp: number | null, arrival: number | null | undefined): void {
    this.#lastMephistoPingMs = this.#clock.now()
    this.#sweep()
    const statuses: Record<string, string> = {}
    // Agents that ended since the last poll are reported once, so the backend
    // hears of every end (a `disconnect` the router imposed above all).
    for (const [agentId, status] of this.#agents.ended.takeUnreported()) statuses[agentId] = status
    for (const record of this.#agents.records()) statuses[record.id] = record.status
    this.#toBackend({
      packet_type: PacketType.RETURN_STATUSES,
      subject_id: SYSTEM_SUBJECT_ID,
      data: statuses,
      client_timestamp: serverTimestamp,
      router_incoming_timestamp: arrival ?? this.#nowSeconds(),
    })
  }

  // ----------------------------------------------------------------- agents

  /** A text frame from an unauthenticated socket: a worker's page. */
  handleAgentFrame(connection: AgentConnection, text: string): void {
    if (!this.#observers.timing) {
      this.#onAgentFrame(connection, text)
      return
    }
    this.#frameStart = this.#latencyNow()
    try {
      this.#onAgentFrame(connection, text)
    } finally {
      this.#frameStart = -1
    }
  }

  #onAgentFrame(connection: AgentConnection, text: string): void {
    const decoded = decodeFrame(text, AgentToRouterPacket, {
      liveType: PacketType.MEPHISTO_BOUND_LIVE_UPDATE,
      limits: this.#jsonLimits,
    })
    if (!decoded.ok) {
      const code =
        decoded.error.code === ErrorCode.PACKET_NOT_ALLOWED
          ? CloseCode.NOT_AUTHORIZED
          : CloseCode.INVALID_PACKET
      connection.close(code, decoded.error.message.slice(0, 120))
      return
    }
    const packet = decoded.value
    const subject = packet.subject_id
    if (subject === null) {
      // Only log_error may come without an agent id (a page that never registered).
      this.#fromAgentToBackend(connection, {
        ...packet,
        router_incoming_timestamp: this.#nowSeconds(),
      })
      return
    }
    if (!this.#mayActFor(connection, subject)) return
    packet.router_incoming_timestamp = this.#nowSeconds()
    const endedStatus = this.#agents.endedStatus(subject)
    if (endedStatus !== undefined && this.#answerEnded(connection, packet, endedStatus)) return
    switch (packet.packet_type) {
      case PacketType.ALIVE: {
        const record = this.#agents.getOrCreate(subject)
        if (this.#observers.active) this.#heartbeatSeen(record)
        this.#bind(connection, record)
        // Current status first (what mephisto-task expects on connect), then
        // the backlog without its older statuses, so a stale status is never
        // the last one the page sees.
        this.#sendToAgent(connection, statusPacket(record))
        this.#flush(record, { skipStatuses: true })
        return
      }
      case PacketType.HEARTBEAT: {
        const record = this.#agents.getOrCreate(subject)
        if (this.#observers.active) this.#heartbeatSeen(record, reportedRoundTrip(packet))
        if (record.connection !== connection) {
          this.#bind(connection, record)
          this.#flush(record, { skipStatuses: false })
        }
        record.lastPingMs = this.#clock.now()
        packet.data = { last_mephisto_ping: this.#lastMephistoPingMs, status: record.status }
        this.#sendToAgent(connection, packet)
        return
      }
      case PacketType.MEPHISTO_BOUND_LIVE_UPDATE:
        if (isHeldByAnother(this.#agents.get(subject), connection)) {
          connection.close(
            CloseCode.REPLACED_BY_NEWER_SOCKET,
            'another socket holds this agent; send alive to take it over',
          )
          return
        }
        connection.agentId ??= subject
        this.#fromAgentToBackend(connection, packet)
        return
      case PacketType.LOG_ERROR:
        connection.agentId ??= subject
        this.#fromAgentToBackend(connection, packet)
        return
    }
  }

  /**
   * `alive` and `heartbeat` of an agent whose unit ended get its last status
   * from the ended agents, and no record is made again (that would regrow
   * what was released). Returns false for packets handled as usual.
   */
  #answerEnded(connection: AgentConnection, packet: Packet, status: AgentStatus): boolean {
    const subject = String(packet['subject_id'])
    if (packet['packet_type'] === PacketType.ALIVE) {
      connection.agentId = subject
      this.#agents.ended.bind(subject, connection)
      this.#sendToAgent(connection, statusPacket({ id: subject, status }))
      return true
    }
    if (packet['packet_type'] === PacketType.HEARTBEAT) {
      connection.agentId ??= subject
      this.#agents.ended.bind(subject, connection)
      packet['data'] = { last_mephisto_ping: this.#lastMephistoPingMs, status }
      this.#sendToAgent(connection, packet)
      return true
    }
    return false
  }

  /**
   * A packet for an agent whose unit ended (a late answer, a review status)
   * goes to its page if one is open, and is otherwise dropped: nothing is
   * queued for it, as no unit is left to come back to.
   */
  #toEndedAgent(agentId: string, packet: Packet): void {
    const connection = this.#agents.ended.connectionOf(agentId)
    if (connection?.isOpen === true) this.#sendToAgent(connection, packet)
  }

  /** A worker's socket closed: start the reconnect grace window. */
  handleAgentClose(connection: AgentConnection): void {
    const agentId = connection.agentId
    if (agentId === null) return
    this.#agents.ended.unbind(agentId, connection)
    const record = this.#agents.get(agentId)
    if (record?.connection !== connection) return
    record.connection = null
    this.#agentDisconnected(agentId, 'closed')
    if (!LIVE_AGENT_STATUSES.has(record.status)) return
    this.#clearGrace(record)
    record.graceTimer = this.#clock.setTimeout(() => {
      record.graceTimer = null
      const stillTracked = this.#agents.get(record.id) === record
      if (stillTracked && record.connection === null && LIVE_AGENT_STATUSES.has(record.status)) {
        this.#log.info({ agentId: record.id }, 'agent did not reconnect within the grace window')
        this.#markDisconnected(record)
      }
    }, this.#options.reconnectGraceMs)
  }

  /** Checks the subject of a socket packet; closes the socket if it may not use it. */
  #mayActFor(connection: AgentConnection, subject: string): boolean {
    // A socket being closed (replaced by a newer one, or refused) may still
    // deliver frames it sent before; its heartbeat must not win the agent back.
    if (!connection.isOpen) return false
    if (subject === SYSTEM_SUBJECT_ID) {
      connection.close(
        CloseCode.NOT_AUTHORIZED,
        'only the authenticated backend may speak as mephisto',
      )
      return false
    }
    if (this.#isNotYetKnown(subject)) {
      connection.close(
        CloseCode.AGENT_NOT_YET_KNOWN,
        'the router does not know this agent yet (it restarted); reconnect shortly',
      )
      return false
    }
    if (!this.#agents.isAdmitted(subject)) {
      connection.close(CloseCode.AGENT_UNKNOWN, 'this agent id was not issued by the backend')
      return false
    }
    if (connection.agentId !== null && connection.agentId !== subject) {
      connection.close(CloseCode.SUBJECT_MISMATCH, 'this socket already speaks for another agent')
      return false
    }
    return true
  }

  #bind(connection: AgentConnection, record: RoutedAgent): void {
    const previous = record.connection
    if (previous !== null && previous !== connection) {
      closeReplacedSocket(previous, record.id, this.#log)
      this.#agentDisconnected(record.id, 'replaced')
    }
    if (this.#observers.active && previous !== connection) {
      // A record that has heard a ping before had a socket before.
      const reconnect = record.lastPingMs !== 0
      this.#observers.emit('agentConnected', {
        agentId: record.id,
        at: this.#clock.now(),
        reconnect,
      })
    }
    connection.agentId = record.id
    record.connection = connection
    record.lastPingMs = this.#clock.now()
    this.#clearGrace(record)
  }

  #deliver(record: RoutedAgent, packet: Packet): void {
    const connection = record.connection
    if (connection?.isOpen === true) {
      this.#sendToAgent(connection, packet)
      return
    }
    const queue = (record.queue ??= [])
    if (queue.length >= this.#options.maxAgentQueue) {
      queue.shift()
      this.#log.warn({ agentId: record.id }, 'agent queue full; dropped its oldest waiting packet')
    }
    queue.push(packet)
  }

  #flush(record: RoutedAgent, options: { skipStatuses: boolean }): void {
    const queue = record.queue
    const connection = record.connection
    if (queue === null || connection === null) return
    record.queue = null
    for (const packet of queue) {
      if (options.skipStatuses && packet['packet_type'] === PacketType.UPDATE_STATUS) continue
      this.#sendToAgent(connection, packet)
    }
  }

  #sendToAgent(connection: Connection, packet: Packet): void {
    const encoded = this.#encoder.encode(packet)
    if (encoded.ok) {
      connection.send(encoded.value)
      if (this.#frameStart >= 0) this.#relayed(packet, 'to_agent')
      return
    }
    this.#log.warn(
      { code: encoded.error.code, type: packet['packet_type'] },
      `dropped a worker-bound packet: ${encoded.error.message}`,
    )
  }

  /** The agent's unit ended: its record, queue, timer and admission are released. */
  #end(
    agentId: string,
    status: AgentStatus,
    options?: { revivable: boolean; report: boolean },
  ): void {
    const record = this.#agents.end(agentId, status, options)
    if (record !== undefined) this.#clearGrace(record)
  }

  #markDisconnected(record: RoutedAgent): void {
    record.status = AgentStatus.DISCONNECT
    this.#clearGrace(record)
    this.#deliver(record, statusPacket(record))
    this.#end(record.id, record.status)
  }

  #clearGrace(record: RoutedAgent): void {
    if (record.graceTimer !== null) {
      this.#clock.clearTimeout(record.graceTimer)
      record.graceTimer = null
    }
  }

  /** Live agents whose heartbeats stopped for the timeout become `disconnect`. */
  #sweep(): void {
    const now = this.#clock.now()
    const timeoutMs = this.#options.heartbeatTimeoutMs
    for (const record of this.#agents.records()) {
      if (record.lastPingMs === 0 || !LIVE_AGENT_STATUSES.has(record.status)) continue
      // A closed socket is judged by the reconnect grace window instead.
      if (record.graceTimer !== null) continue
      if (now - record.lastPingMs >= timeoutMs) {
        this.#log.info({ agentId: record.id }, 'agent heartbeats stopped; marking disconnect')
        this.#agentDisconnected(record.id, 'heartbeat_timeout')
        this.#markDisconnected(record)
      }
    }
  }

  // ------------------------------------------------------------------- HTTP

  /** `POST /request_agent`: resolves with the backend's `agent_details` packet. */
  async requestAgent(body: RequestAgentBody): Promise<AgentDetailsPacket> {
    const requestId = this.#admitHeldRequest()
    const held = this.#pending.hold(requestId)
    const refused = this.#toBackend({
      packet_type: PacketType.REGISTER_AGENT,
      subject_id: requestId,
      data: { provider_data: body.provider_data, request_id: requestId },
      client_timestamp: body.client_timestamp ?? null,
      router_incoming_timestamp: this.#nowSeconds(),
    })
    if (refused !== null) this.#pending.fail(requestId, refused)
    return settled(await held)
  }

  /**
   * `POST /submit_onboarding`: resolves with the `agent_details` that follows
   * validation. With `stored_acks` the packet carries `faust_ack` (the key is
   * `submissionId`); the backend sends `agent_details` only once the answers
   * are stored, so that stays the confirmation, and a `faust_stored` refusal
   * is answered with its code.
   */
  async submitOnboarding(
    body: SubmitOnboardingBody,
    submissionId: string | null = null,
  ): Promise<AgentDetailsPacket> {
    const { USED_AGENT_ID: agentId, ...rest } = body.provider_data
    this.#assertKnown(agentId)
    const requestId = this.#admitHeldRequest()
    const acks = this.#announcement.acks
    const held = this.#pending.hold(requestId, acks ? 'details-after-stored' : 'details')
    const packet: Packet = {
      packet_type: PacketType.SUBMIT_ONBOARDING,
      subject_id: agentId,
      data: { ...rest, onboarding_data: rest.onboarding_data ?? {}, request_id: requestId },
      client_timestamp: body.client_timestamp ?? null,
      router_incoming_timestamp: this.#nowSeconds(),
    }
    if (acks) packet['faust_ack'] = { request_id: requestId, submission_id: submissionId }
    const refused = this.#toBackend(packet)
    if (refused !== null) {
      // The agent keeps its record: nothing reached the backend.
      this.#pending.fail(requestId, refused)
      return settled(await held)
    }
    this.#handedIn(agentId, { revivable: false })
    return settled(await (acks ? this.#held.sent(requestId, held) : held))
  }

  /**
   * `POST /submit_task`: hands the final data to the backend (now, or when it
   * is back). `digest` (submission-digest.ts) tells an identical retry, sent
   * on as before and idempotent in the backend, from other data, refused.
   * With `stored_acks` the backend decides that instead, and the reply is
   * held until it confirms: the {@link HeldSubmission} is returned; null means
   * answer now.
   */
  submitUnit(submission: HttpSubmission, digest: string): HeldSubmission | null {
    const { agentId } = submission
    if (this.#submitted.check(agentId, digest) === 'different') {
      throw new RouterError(
        ErrorCode.ALREADY_SUBMITTED,
        'this task was already submitted with different data; the first submission is kept',
      )
    }
    if (this.#announcement.holdsSubmissions) {
      const admitted = this.#agents.isAdmitted(agentId)
      const held = this.#submitHeld(PacketType.SUBMIT_UNIT, submission)
      // An id the router does not know is not made known by its submission.
      if (admitted) this.#handedIn(agentId, { revivable: true })
      // Remembered once stored, so that other data is refused here without a
      // trip to the backend; not before, or a submission the store refused
      // would make the page's next attempt a 409. The backend decides the rest
      // (an agent the router forgot, as after a restart).
      held.stored.then(
        () => {
          this.#submitted.remember(agentId, digest)
        },
        () => undefined,
      )
      return held
    }
    this.#submit(PacketType.SUBMIT_UNIT, submission)
    this.#submitted.remember(agentId, digest)
    this.#handedIn(agentId, { revivable: true })
    return null
  }

  /** `POST /submit_metadata`; held as {@link submitUnit} is with `stored_acks`. */
  submitMetadata(submission: HttpSubmission): HeldSubmission | null {
    if (this.#announcement.holdsSubmissions)
      return this.#submitHeld(PacketType.SUBMIT_METADATA, submission)
    this.#submit(PacketType.SUBMIT_METADATA, submission)
    return null
  }

  /** `POST /log_error`; `agentId` is null for pages that never registered. */
  logError(
    submission: Omit<HttpSubmission, 'agentId'> & { readonly agentId: string | null },
  ): void {
    if (submission.agentId !== null) this.#assertKnown(submission.agentId)
    this.#requireBacklogRoom()
    this.#httpToBackend({
      packet_type: PacketType.LOG_ERROR,
      subject_id: submission.agentId,
      data: submission.data,
      client_timestamp: submission.clientTimestamp,
      router_incoming_timestamp: this.#nowSeconds(),
    })
  }

  /** A page asked for `task_config.json` with another `mephisto-task` version. */
  reportVersionMismatch(sentVersion: string | undefined): void {
    this.#toBackend({
      packet_type: PacketType.LOG_ERROR,
      subject_id: SYSTEM_SUBJECT_ID,
      data: { error_type: 'version-mismatch', text: versionMismatchText(sentVersion) },
      router_incoming_timestamp: this.#nowSeconds(),
    })
  }

  #submit(type: string, submission: HttpSubmission): void {
    this.#assertKnown(submission.agentId)
    this.#requireBacklogRoom()
    this.#httpToBackend({
      packet_type: type,
      subject_id: submission.agentId,
      data: submission.data,
      client_timestamp: submission.clientTimestamp,
      router_incoming_timestamp: this.#nowSeconds(),
    })
  }

  /**
   * Forgets an agent's status and socket once its work is handed in (as the
   * reference does): its unit has ended for the router. The last status is
   * kept (the backend's final one updates it) for a page that reloads.
   */
  #handedIn(agentId: string, options: { revivable: boolean }): void {
    const status = this.#agents.get(agentId)?.status ?? this.#agents.endedStatus(agentId)
    // Not reported: the backend has the submission itself (the reference forgets it too).
    this.#end(agentId, status ?? AgentStatus.NONE, { ...options, report: false })
  }

  /**
   * Sends a submission with `faust_ack` (or keeps it, encoded for either kind
   * of backend, until one attaches) and holds its reply until `faust_stored`.
   * Refusals before anything is held are thrown.
   */
  #submitHeld(type: string, submission: HttpSubmission): HeldSubmission {
    // The backend knows every agent it issued, also those the router forgot.
    this.#assertKnown(submission.agentId, { backendDecides: true })
    this.#requireBacklogRoom()
    if (!this.#pending.hasRoom()) {
      throw new RouterError(
        ErrorCode.BACKLOG_FULL,
        'too many submissions are waiting for the backend to store them; please try again shortly',
      )
    }
    const requestId = this.#options.generateId()
    const packet: Packet = {
      packet_type: type,
      subject_id: submission.agentId,
      data: submission.data,
      client_timestamp: submission.clientTimestamp,
      router_incoming_timestamp: this.#nowSeconds(),
    }
    const plain = this.#encodeForBackend(packet)
    const acked = this.#encodeForBackend({
      ...packet,
      faust_ack: { request_id: requestId, submission_id: submission.submissionId ?? null },
    })
    return this.#held.send({ requestId, plain, acked })
  }

  /** Whether `agentId` is unknown only because the router restarted (see BackendAnnouncement). */
  #isNotYetKnown(agentId: string): boolean {
    return !this.#agents.isAdmitted(agentId) && this.#announcement.unknownMayBeKnownSoon
  }

  /**
   * Throws unless `agentId` may be acted for: AGENT_NOT_YET_KNOWN (retryable)
   * while the router cannot tell yet, else AGENT_UNKNOWN for an id the
   * backend never issued, unless the backend is left to decide.
   */
  #assertKnown(
    agentId: string,
    options: { backendDecides: boolean } = { backendDecides: false },
  ): void {
    if (agentId === SYSTEM_SUBJECT_ID) {
      throw new RouterError(ErrorCode.AGENT_UNKNOWN, 'this agent id was not issued by the backend')
    }
    if (this.#isNotYetKnown(agentId)) {
      throw new RouterError(
        ErrorCode.AGENT_NOT_YET_KNOWN,
        'the router does not know this agent yet (it restarted); please try again shortly',
      )
    }
    if (!options.backendDecides && !this.#agents.isAdmitted(agentId)) {
      throw new RouterError(ErrorCode.AGENT_UNKNOWN, 'this agent id was not issued by the backend')
    }
  }

  #requireBacklogRoom(): void {
    this.#assertOpen()
    if (!this.#backend.hasRoom()) {
      throw new RouterError(
        ErrorCode.BACKLOG_FULL,
        'the backend is away and too much is waiting for it; please try again shortly',
      )
    }
  }

  #admitHeldRequest(): string {
    this.#assertOpen()
    if (!this.#backend.isAttached) {
      throw new RouterError(
        ErrorCode.BACKEND_UNAVAILABLE,
        'no backend is attached to the router; please try again shortly',
      )
    }
    if (!this.#pending.hasRoom()) {
      throw new RouterError(
        ErrorCode.BACKLOG_FULL,
        'too many registrations are waiting; please try again shortly',
      )
    }
    return this.#options.generateId()
  }

  #assertOpen(): void {
    if (this.#closed) throw new RouterError(ErrorCode.SHUTTING_DOWN, 'the router is shutting down')
  }

  /**
   * Encodes `packet` once and sends or keeps the text. Returns why it was
   * refused (it cannot be encoded, or the backlog is full), or null; the
   * caller tells the packet's sender, and no one else is affected.
   */
  #toBackend(packet: Packet): RouterError | null {
    const encoded = this.#encoder.encode(packet)
    if (!encoded.ok) {
      this.#log.warn(
        { code: encoded.error.code, type: packet['packet_type'] },
        `refused a backend-bound packet: ${encoded.error.message}`,
      )
      return encoded.error
    }
    if (this.#backend.send(encoded.value)) {
      if (this.#frameStart >= 0 && this.#backend.isAttached) this.#relayed(packet, 'to_backend')
      return null
    }
    this.#log.warn(
      { type: packet['packet_type'] },
      'backend backlog full; dropped a backend-bound packet',
    )
    return new RouterError(
      ErrorCode.BACKLOG_FULL,
      'the backend is away and too much is waiting for it; please try again shortly',
    )
  }

  /** Encodes a backend-bound packet for an HTTP request; one that cannot be is its error answer. */
  #encodeForBackend(packet: Packet): string {
    const encoded = this.#encoder.encode(packet)
    if (encoded.ok) return encoded.value
    this.#log.warn(
      { code: encoded.error.code, type: packet['packet_type'] },
      `refused a backend-bound packet: ${encoded.error.message}`,
    )
    throw encoded.error
  }

  /** {@link #toBackend} for an HTTP request: a refusal is the request's error answer. */
  #httpToBackend(packet: Packet): void {
    const refused = this.#toBackend(packet)
    if (refused !== null) throw refused
  }

  /** {@link #toBackend} for a worker's frame: a packet that cannot be encoded closes its socket. */
  #fromAgentToBackend(connection: AgentConnection, packet: Packet): void {
    const refused = this.#toBackend(packet)
    if (refused === null || refused.code === ErrorCode.BACKLOG_FULL) return
    connection.close(CloseCode.INVALID_PACKET, refused.message.slice(0, 120))
  }

  // ---------------------------------------------------------- observers

  /** Every `alive` and `heartbeat` of an agent with a record, before its last ping moves. */
  #heartbeatSeen(record: RoutedAgent, rttMs: number | null = null): void {
    const at = this.#clock.now()
    const gapMs = record.lastPingMs === 0 ? 0 : at - record.lastPingMs
    this.#observers.emit('heartbeat', { agentId: record.id, at, gapMs, rttMs })
  }

  #agentDisconnected(agentId: string, reason: AgentDisconnectReason): void {
    if (!this.#observers.active) return
    this.#observers.emit('agentDisconnected', { agentId, at: this.#clock.now(), reason })
  }

  /** A packet of the frame being handled left the router (written to its socket). */
  #relayed(packet: Packet, direction: RelayDirection): void {
    const latencyMs = this.#latencyNow() - this.#frameStart
    this.#observers.emit('relayed', { kind: String(packet['packet_type']), direction, latencyMs })
  }

  #nowSeconds(): number {
    return toWireSeconds(this.#clock.now())
  }

  /** Stops timers and fails every held request; sockets are closed by the transport. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#clock.clearInterval(this.#sweepTimer)
    for (const record of this.#agents.records()) this.#clearGrace(record)
    this.#pending.failAll(new RouterError(ErrorCode.SHUTTING_DOWN, 'the router is shutting down'))
  }
}

function statusPacket(record: Pick<RoutedAgent, 'id' | 'status'>): Packet {
  return {
    packet_type: PacketType.UPDATE_STATUS,
    subject_id: record.id,
    data: { status: record.status },
  }
}

function settled(outcome: HeldOutcome): AgentDetailsPacket {
  if (outcome instanceof RouterError) throw outcome
  // A registration is only ever settled by agent_details (pending-requests.ts).
  if (outcome === STORED) throw new RouterError(ErrorCode.INTERNAL, 'a registration had no answer')
  return outcome
}

/**
 * Parses and checks a frame. Live updates, nearly all of a busy router's
 * traffic, take a hand-written check with the schema's rules (tested to agree
 * with it) and are used as parsed; everything else, and any live update the
 * check refuses, goes through the schema for a precise error.
 */
function decodeFrame<TSchema extends typeof AgentToRouterPacket | typeof BackendToRouterPacket>(
  text: string,
  schema: TSchema,
  {
    liveType,
    limits,
  }: {
    liveType:
      typeof PacketType.MEPHISTO_BOUND_LIVE_UPDATE | typeof PacketType.CLIENT_BOUND_LIVE_UPDATE
    limits: JsonLimits
  },
): Result<v.InferOutput<TSchema>, ProtocolError> {
  // The limits hold for every frame, the fast path's included: a deep live
  // update is exactly what once threw in JSON.stringify and ended the process.
  const parsed = parseLimitedJson(text, limits)
  if (!parsed.ok) return parsed
  const value = parsed.value
  if (isLiveUpdate(value, liveType)) return ok(value as v.InferOutput<TSchema>)
  return decodePacket(value, schema, null)
}

/** A round trip above a minute is a stalled tab or a wrong clock, not a measurement. */
const MAX_REPORTED_RTT_MS = 60_000

/**
 * The round trip a Faust page measured on its own clock for its previous
 * heartbeat, sent as `faust_rtt_ms` (docs/protocol.md §14.4); null from any
 * other page, and for anything but a plausible number (a page is untrusted).
 */
function reportedRoundTrip(packet: Packet): number | null {
  const reported = packet['faust_rtt_ms']
  return typeof reported === 'number' &&
    Number.isFinite(reported) &&
    reported >= 0 &&
    reported <= MAX_REPORTED_RTT_MS
    ? Math.round(reported)
    : null
}
