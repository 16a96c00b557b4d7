import { CloseCode, PacketType, type Clock, type TimerHandle } from '@faust/protocol/constants'
import { AGENT_STATUS, ISSUE_STATUSES } from './agent-status.js'
import { BoundedSet } from './bounded-set.js'
import { ClientError, toClientError } from './client-error.js'
import {
  toConnectionStatus,
  type CloseReason,
  type ConnectionState,
  type ConnectionStatus,
  type ReconnectReason,
} from './connection-status.js'
import { Emitter } from './emitter.js'
import { isRecord, readIncomingPacket } from './incoming-packet.js'
import type { LiveConfig } from './live-config.js'
import { PendingCalls } from './pending-calls.js'
import type { SocketConstructor, SocketLike } from './ports.js'
import { StatusFilter } from './status-filter.js'
import { ObservableState } from './observable-state.js'
import type { TaskState } from './task-state.js'
import { createMessages, type ClientMessages } from './messages/index.js'

/** What a {@link LiveConnection} needs; {@link TaskClient} provides it. */
export interface LiveConnectionOptions {
  readonly socketUrl: string
  /** Null when no WebSocket implementation exists. */
  readonly WebSocket: SocketConstructor | null
  readonly clock: Clock
  readonly generateId: () => string
  /** Delay before reconnect number `attempt` (from 1). */
  readonly retryDelayMs: (attempt: number) => number
  readonly config: LiveConfig
  /** The registration: which agent to speak for and its `initialTaskData`. */
  readonly task: () => Pick<TaskState, 'agentId' | 'initialTaskData'>
  /** The worker-facing texts in the task's language. @default English */
  readonly messages?: () => ClientMessages
  /** Called when `connect()` finds no WebSocket implementation. */
  readonly onUnsupported: () => void
}

/** What the live connection knows, as one snapshot. */
export interface LiveState {
  readonly connection: ConnectionState
  /** {@link connection} as `mephisto-task`'s `CONNECTION_STATUS` string. */
  readonly connectionStatus: ConnectionStatus
  /** The last status delivered (the backend's, or `mephisto disconnect`); null before any. */
  readonly agentStatus: string | null
  /** The agent this connection speaks for; null before `connect()`. */
  readonly agentId: string | null
  /** Why remote procedures can no longer succeed, as text for the worker; undefined while they can. */
  readonly disconnectIssueText: string | undefined
}

/** A live update: any JSON object; an `update_id` is added when one is sent. */
export type LiveUpdate = Readonly<Record<string, unknown>>

/** A remote procedure: call it, or its `invoke`, with the arguments object. */
export interface RemoteProcedure<TArgs = unknown, TResult = unknown> {
  (args?: TArgs): Promise<TResult>
  invoke(args?: TArgs): Promise<TResult>
}

/** Options of one remote procedure call. */
export interface CallOptions {
  /** @default the connection's `rpcTimeoutMs` */
  readonly timeoutMs?: number
}

// Close codes with which a Faust router says that this page may not speak
// for this agent on this socket: reopening would be refused the same way.
const REFUSED: ReadonlySet<number> = new Set<number>([
  CloseCode.INVALID_PACKET,
  CloseCode.NOT_AUTHORIZED,
  CloseCode.SUBJECT_MISMATCH,
  CloseCode.AGENT_UNKNOWN,
])

const OPEN = 1
/** A round trip above a minute is a stalled tab or a wrong clock, not a measurement. */
const MAX_REPORTED_RTT_MS = 60_000

interface Outgoing {
  readonly data: LiveUpdate
  readonly resolve: () => void
  readonly reject: (error: ClientError) => void
}

/**
 * The worker's socket to the router (`useMephistoSocket` in the reference):
 * `alive` on every open, heartbeats, reconnects with backoff, statuses and
 * live updates delivered once and in order, and remote procedures. Created by
 * {@link TaskClient} as `client.live`.
 */
export class LiveConnection extends ObservableState<LiveState> {
  readonly #options: LiveConnectionOptions
  readonly #clock: Clock
  #config: LiveConfig
  readonly #liveUpdates = new Emitter<LiveUpdate>()
  readonly #statusUpdates = new Emitter<{ readonly status: string }>()
  readonly #connectionChanges = new Emitter<ConnectionStatus>()
  readonly #statuses = new StatusFilter()
  readonly #calls: PendingCalls
  readonly #seen: BoundedSet<string>
  readonly #queue: Outgoing[] = []
  #socket: SocketLike | null = null
  /** Whether `alive` went out on the current socket, so packets may follow. */
  #ready = false
  #agentId: string | null = null
  /** Failed connections since the router last answered a heartbeat. */
  #failures = 0
  /** Heartbeats sent (or due) since the router last answered one. */
  #missed = 0
  /** The last heartbeat's round trip on this page's clock, reported on the next (null: none yet). */
  #rttMs: number | null = null
  #ticker: TimerHandle | null = null
  #firstBeat: TimerHandle | null = null
  #reconnect: TimerHandle | null = null
  #replayed: unknown = null

  constructor(options: LiveConnectionOptions) {
    super({
      connection: { status: 'idle' },
      connectionStatus: '',
      agentStatus: null,
      agentId: null,
      disconnectIssueText: undefined,
    })
    this.#options = options
    this.#clock = options.clock
    this.#config = options.config
    this.#calls = new PendingCalls(options.clock)
    this.#seen = new BoundedSet(options.config.maxRememberedUpdateIds)
  }

  /** Changes timings and limits; heartbeat timing applies from the next `connect()`. */
  configure(config: Partial<LiveConfig>): void {
    this.#config = { ...this.#config, ...config }
  }

  /** Calls `listener` with every new live update; returns the function that stops it. */
  onLiveUpdate(listener: (update: LiveUpdate) => void): () => void {
    return this.#liveUpdates.add(listener)
  }

  /** Calls `listener` with every status change (`{ status }`, as the reference); returns the stop function. */
  onStatusUpdate(listener: (update: { readonly status: string }) => void): () => void {
    return this.#statusUpdates.add(listener)
  }

  /** Calls `listener` with each new `CONNECTION_STATUS` string; returns the stop function. */
  onConnectionStatusChange(listener: (status: ConnectionStatus) => void): () => void {
    return this.#connectionChanges.add(listener)
  }

  /**
   * Opens the socket for `agentId` (default: the registered agent), closing
   * any previous one (the reference opened a second, docs/protocol.md W19). Connecting as
   * another agent (after onboarding) starts its statuses afresh.
   */
  connect(agentId: string | null = this.#options.task().agentId): void {
    if (agentId === null) {
      throw new TypeError('connect() needs an agent id: wait until the worker is registered')
    }
    this.#stopTransport()
    if (this.#options.WebSocket === null) {
      this.#options.onUnsupported()
      this.#end('unsupported')
      return
    }
    if (agentId !== this.#agentId) {
      // What waits was meant for the previous agent; before any, for this one.
      if (this.#agentId !== null)
        this.#failOutgoing(disconnected('The page now works as another agent.'))
      this.#statuses.reset()
      this.#agentId = agentId
      this.update({ agentId, agentStatus: null, disconnectIssueText: undefined })
    }
    const task = this.#options.task()
    if (task.agentId === agentId) this.replayPastLiveUpdates(task.initialTaskData)
    this.#missed = 0
    this.#failures = 0
    this.#setConnection({ status: 'connecting', attempt: 1 })
    this.#ticker = this.#clock.setInterval(() => {
      this.#tick()
    }, this.#config.heartbeatIntervalMs)
    this.#openSocket()
  }

  /** Closes the socket for good (until the next `connect()`); waiting sends and calls fail. */
  destroy(): void {
    this.#end('destroyed')
  }

  /**
   * Sends a live update to the backend, adding an `update_id`. Resolves with
   * the data as sent once it is written to the socket; while the socket is
   * down it waits in a bounded queue.
   */
  sendLiveUpdate(update: LiveUpdate): Promise<LiveUpdate> {
    const data: LiveUpdate = {
      ...update,
      update_id: update['update_id'] ?? this.#options.generateId(),
    }
    return new Promise((resolve, reject) => {
      if (this.getSnapshot().connection.status === 'closed') {
        reject(disconnected('The live connection is closed.'))
        return
      }
      if (this.#queue.length >= this.#config.maxQueuedPackets) {
        reject(new ClientError('BACKLOG_FULL', 'too many live updates are waiting to be sent'))
        return
      }
      this.#queue.push({
        data,
        resolve: () => {
          resolve(data)
        },
        reject,
      })
      this.#flush()
    })
  }

  /**
   * Calls the backend's remote procedure `target` with `args` and resolves
   * with its parsed answer. Rejects with `REMOTE` on an error answer,
   * `TIMEOUT`, or `DISCONNECTED` (`{ disconnected: true, reason }`) once the
   * agent left the task or the connection ended.
   */
  call(target: string, args?: unknown, options: CallOptions = {}): Promise<unknown> {
    const issue = this.getSnapshot().disconnectIssueText
    if (issue !== undefined) return Promise.reject(disconnected(issue))
    if (this.#statuses.ended) {
      return Promise.reject(
        disconnected(`The task has ended (status: ${String(this.#statuses.last)}).`),
      )
    }
    const requestId = this.#options.generateId()
    return new Promise((resolve, reject) => {
      this.#calls.add(requestId, options.timeoutMs ?? this.#config.rpcTimeoutMs, {
        resolve,
        reject,
      })
      // The reference sends `JSON.stringify(undefined)`, i.e. no `args` key,
      // which crashes the backend's handler (docs/protocol.md W20); an empty object is sent instead.
      this.sendLiveUpdate({
        request_id: requestId,
        target,
        args: JSON.stringify(args ?? {}),
      }).catch((error: unknown) => {
        this.#calls.fail(requestId, toClientError(error))
      })
    })
  }

  /** The remote procedure `name` as a function, also callable as `fn.invoke(args)`. */
  remoteProcedure<TArgs = unknown, TResult = unknown>(
    name: string,
  ): RemoteProcedure<TArgs, TResult> {
    const procedure = (args?: TArgs): Promise<TResult> => this.call(name, args) as Promise<TResult>
    return Object.assign(procedure, { invoke: procedure })
  }

  /**
   * Delivers `initialTaskData.past_live_updates` through the live update
   * listeners (a reload resumes a chat), once per `initialTaskData` object.
   * `connect()` does it for the registered agent.
   */
  replayPastLiveUpdates(initialTaskData: unknown): void {
    if (!isRecord(initialTaskData) || initialTaskData === this.#replayed) return
    this.#replayed = initialTaskData
    const past = initialTaskData['past_live_updates']
    if (!Array.isArray(past)) return
    for (const update of past) if (isRecord(update)) this.#receive(update)
  }

  // ----------------------------------------------------------------- socket

  #openSocket(): void {
    const Socket = this.#options.WebSocket
    if (Socket === null) return
    let socket: SocketLike
    try {
      socket = new Socket(this.#options.socketUrl)
    } catch {
      this.#scheduleReconnect('closed')
      return
    }
    this.#socket = socket
    this.#ready = false
    socket.onopen = () => {
      if (socket === this.#socket) this.#onOpen()
    }
    socket.onmessage = (event) => {
      if (socket === this.#socket) this.#onMessage(event.data)
    }
    socket.onclose = (event) => {
      if (socket === this.#socket) this.#onClose(event.code)
    }
    // A close event follows every error; the handler also keeps Node's `ws`
    // from throwing an unhandled 'error' event.
    socket.onerror = () => undefined
  }

  #onOpen(): void {
    this.#ready = true
    const alive = this.#send(PacketType.ALIVE, { update_id: this.#options.generateId() })
    if (!alive) return
    this.#setConnection({ status: 'connected' })
    this.#firstBeat = this.#clock.setTimeout(() => {
      this.#firstBeat = null
      this.#beat()
    }, this.#config.firstHeartbeatDelayMs)
    this.#flush()
  }

  #onClose(code: number): void {
    this.#dropSocket()
    if (REFUSED.has(code)) this.#end('rejected', code)
    else if (code === CloseCode.REPLACED_BY_NEWER_SOCKET) this.#end('replaced', code)
    else this.#scheduleReconnect('closed')
  }

  #scheduleReconnect(reason: ReconnectReason): void {
    this.#dropSocket()
    if (this.#reconnect !== null) return
    const attempt = ++this.#failures
    this.#setConnection({ status: 'reconnecting', attempt, reason })
    this.#reconnect = this.#clock.setTimeout(() => {
      this.#reconnect = null
      this.#openSocket()
    }, this.#options.retryDelayMs(attempt))
  }

  #tick(): void {
    const config = this.#config
    if (this.#missed >= config.giveUpAfterMissedHeartbeats) {
      this.#end('router_dead')
      return
    }
    if (this.#missed === config.reconnectAfterMissedHeartbeats) this.#scheduleReconnect('heartbeat')
    this.#beat()
  }

  /** A heartbeat counts as unanswered even when the socket is down, as in the reference. */
  #beat(): void {
    this.#send(PacketType.HEARTBEAT)
    this.#missed++
  }

  #flush(): void {
    while (this.#ready && this.#queue.length > 0) {
      const next = this.#queue[0] as Outgoing
      if (!this.#send(PacketType.MEPHISTO_BOUND_LIVE_UPDATE, next.data)) return
      this.#queue.shift()
      next.resolve()
    }
  }

  /** Writes a packet if the socket is open; a throwing socket is replaced. */
  #send(type: PacketType, data?: LiveUpdate): boolean {
    const socket = this.#socket
    if (!this.#ready || socket?.readyState !== OPEN) return false
    const packet: Record<string, unknown> = {
      packet_type: type,
      subject_id: this.#agentId,
      client_timestamp: this.#clock.now() / 1000,
    }
    // Heartbeats carry no `data` key, as the reference's; Faust's router
    // reads the previous round trip from `faust_rtt_ms` (docs/protocol.md
    // §14.4), and every other party ignores the unknown key.
    if (data !== undefined) packet['data'] = data
    else if (type === PacketType.HEARTBEAT && this.#rttMs !== null)
      packet['faust_rtt_ms'] = this.#rttMs
    try {
      socket.send(JSON.stringify(packet))
      return true
    } catch {
      this.#scheduleReconnect('closed')
      return false
    }
  }

  #dropSocket(): void {
    const socket = this.#socket
    this.#socket = null
    this.#ready = false
    if (this.#firstBeat !== null) this.#clock.clearTimeout(this.#firstBeat)
    this.#firstBeat = null
    if (socket === null) return
    socket.onopen = socket.onmessage = socket.onclose = null
    try {
      socket.close()
    } catch {
      // already closed
    }
  }

  #stopTransport(): void {
    this.#dropSocket()
    if (this.#ticker !== null) this.#clock.clearInterval(this.#ticker)
    if (this.#reconnect !== null) this.#clock.clearTimeout(this.#reconnect)
    this.#ticker = this.#reconnect = null
  }

  #end(reason: CloseReason, code?: number): void {
    this.#stopTransport()
    const text = closeText(this.#messages(), reason, code)
    this.#failOutgoing(disconnected(text))
    // Remote procedures cannot succeed any more, unless the page closed on purpose.
    if (reason !== 'destroyed' && this.getSnapshot().disconnectIssueText === undefined) {
      this.update({ disconnectIssueText: text })
    }
    this.#setConnection(
      code === undefined ? { status: 'closed', reason } : { status: 'closed', reason, code },
    )
  }

  #failOutgoing(error: ClientError): void {
    for (const item of this.#queue.splice(0)) item.reject(error)
    this.#calls.failAll(error)
  }

  #setConnection(connection: ConnectionState): void {
    const connectionStatus = toConnectionStatus(connection)
    const changed = connectionStatus !== this.getSnapshot().connectionStatus
    this.update({ connection, connectionStatus })
    if (changed) this.#connectionChanges.emit(connectionStatus)
  }

  // ---------------------------------------------------------------- packets

  #onMessage(frame: unknown): void {
    const packet = readIncomingPacket(frame)
    if (packet === null) return
    switch (packet.type) {
      case 'heartbeat':
        this.#measureRoundTrip(packet.sentSeconds)
        this.#onHeartbeat(packet.routerSeconds, packet.lastMephistoPingMs)
        return
      case 'status':
        this.#deliverStatus(packet.status)
        return
      case 'live_update':
        this.#receive(packet.data)
        return
    }
  }

  /**
   * The echo proves the router is there. Whether the backend is, is judged on
   * the router's clock alone: its send time minus its time of the backend's
   * last poll. The reference compared the browser's clock (docs/protocol.md W19).
   */
  #onHeartbeat(routerSeconds: number | null, lastMephistoPingMs: number | null): void {
    this.#missed = 0
    this.#failures = 0
    if (routerSeconds === null || lastMephistoPingMs === null) return
    if (routerSeconds * 1000 - lastMephistoPingMs > this.#config.backendDeadAfterMs) {
      this.#deliverStatus(AGENT_STATUS.MEPHISTO_DISCONNECT)
      this.#end('server_dead')
    }
  }

  /**
   * The echo carries the `client_timestamp` this page stamped, so now minus
   * it is a true round trip on one clock (unlike the router's timestamps,
   * which are another machine's). Only plausible values are kept.
   */
  #measureRoundTrip(sentSeconds: number | undefined): void {
    if (sentSeconds === undefined) return
    const rttMs = Math.round(this.#clock.now() - sentSeconds * 1000)
    if (rttMs >= 0 && rttMs <= MAX_REPORTED_RTT_MS) this.#rttMs = rttMs
  }

  #messages(): ClientMessages {
    return this.#options.messages?.() ?? ENGLISH
  }

  #deliverStatus(status: string): void {
    if (!this.#statuses.accept(status)) return
    const issue = ISSUE_STATUSES.has(status)
      ? this.#messages().text(`blocked.${status}.text` as 'blocked.expired.text')
      : undefined
    this.update(
      issue === undefined
        ? { agentStatus: status }
        : { agentStatus: status, disconnectIssueText: issue },
    )
    if (this.#statuses.ended) {
      this.#calls.failAll(disconnected(issue ?? `The task has ended (status: ${status}).`))
    }
    this.#statusUpdates.emit({ status })
  }

  #receive(update: LiveUpdate): void {
    const id = update['update_id']
    if (typeof id === 'string') {
      if (this.#seen.has(id)) return
      this.#seen.add(id)
    }
    this.#calls.answer(update)
    this.#liveUpdates.emit(update)
  }
}

const ENGLISH = createMessages()

function disconnected(reason: string): ClientError {
  return new ClientError('DISCONNECTED', reason)
}

function closeText(
  messages: ClientMessages,
  reason: CloseReason,
  code: number | undefined,
): string {
  switch (reason) {
    case 'destroyed':
      return messages.text('live.closed')
    case 'router_dead':
      return messages.text('blocked.disconnect.text')
    case 'server_dead':
      return messages.text('blocked.mephisto disconnect.text')
    case 'rejected':
      return messages.text('live.rejected', { code: String(code) })
    case 'unsupported':
      return messages.text('blocked.no_websockets.text')
    case 'replaced':
      return messages.text('live.replaced')
  }
}
