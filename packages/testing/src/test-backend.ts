import { faustAliveData } from '@faust/protocol'
import { fullPacket } from './full-packet.js'
import { TestSocket, type AnyPacket } from './test-socket.js'

/** What a test backend answers to a registration. */
export interface AgentAnswer {
  readonly agentId: string | null
  readonly workerId?: string | null
  readonly initTaskData?: unknown
  readonly failureReason?: string | null
}

/** What a test backend answers to a held submission (`faust_stored`): stored, or a refusal. */
export type StoredAnswer =
  { readonly ok: true } | { readonly ok: false; readonly code: string; readonly message?: string }

/**
 * An in-process stand-in for the backend, speaking the wire exactly as
 * Mephisto's `ClientIOHandler` does: `alive` on connect, all seven envelope keys.
 * With `storedAcks`, its `alive` announces Faust's `stored_acks` extension
 * (docs/protocol.md §14) as Faust's backend does, and {@link announce} and
 * {@link stored} speak the extension's packets.
 */
export class TestBackend extends TestSocket {
  /**
   * Connects with the secret (`header` by default, the `token` query
   * parameter, or `none` as Mephisto's own backend does) and sends `alive`.
   */
  static async connect(
    socketUrl: string,
    token: string,
    options: {
      via?: 'header' | 'query' | 'none'
      sendAlive?: boolean
      headers?: Record<string, string>
      /** Announce the `stored_acks` extension in `alive`. @default false */
      storedAcks?: boolean
    } = {},
  ): Promise<TestBackend> {
    const via = options.via ?? 'header'
    const url = via === 'query' ? `${socketUrl}?token=${encodeURIComponent(token)}` : socketUrl
    const headers: Record<string, string> = {
      ...options.headers,
      ...(via === 'header' ? { authorization: `Bearer ${token}` } : {}),
    }
    const backend = new TestBackend(await TestSocket.open(url, headers))
    const aliveData = options.storedAcks === true ? faustAliveData() : {}
    if (options.sendAlive ?? true) backend.packet('alive', 'mephisto', aliveData)
    return backend
  }

  /** Sends a backend-originated packet with the full reference envelope. */
  packet(type: string, subjectId: string, data: unknown): void {
    this.send(fullPacket(type, subjectId, data, Date.now() / 1000))
  }

  /** Answers a `register_agent` or `submit_onboarding` with `agent_details`. */
  answer(request: AnyPacket, answer: AgentAnswer): void {
    const data = request.data as { request_id: string }
    this.packet('agent_details', 'local_channel_1_0', {
      request_id: data.request_id,
      worker_id: answer.workerId ?? (answer.agentId === null ? null : 'worker-1'),
      agent_id: answer.agentId,
      init_task_data: answer.initTaskData ?? null,
      failure_reason: answer.failureReason ?? null,
    })
  }

  /** Waits for the next registration and admits it as `agentId`. */
  async registerNext(agentId: string, initTaskData: unknown = null): Promise<AnyPacket> {
    const request = await this.next('register_agent')
    this.answer(request, { agentId, initTaskData })
    return request
  }

  /** Re-announces live agents (`update_status` each), then sends `faust_announced`. */
  announce(statuses: Readonly<Record<string, string>> = {}): void {
    for (const [agentId, status] of Object.entries(statuses)) this.pushStatus(agentId, status)
    this.packet('faust_announced', 'mephisto', {})
  }

  /** Answers a held submission (a packet carrying `faust_ack`) with `faust_stored`. */
  stored(submission: AnyPacket, answer: StoredAnswer = { ok: true }): void {
    const ack = submission['faust_ack'] as { request_id: string } | undefined
    if (ack === undefined) throw new Error(`${submission.packet_type} carries no faust_ack`)
    const data: Record<string, unknown> = { request_id: ack.request_id, ok: answer.ok }
    if (!answer.ok) {
      data['code'] = answer.code
      data['message'] = answer.message ?? `refused: ${answer.code}`
    }
    this.packet('faust_stored', String(submission.subject_id), data)
  }

  pushStatus(agentId: string, status: string): void {
    this.packet('update_status', agentId, { status })
  }

  sendLiveUpdate(agentId: string, data: Record<string, unknown>): void {
    this.packet('client_bound_live_update', agentId, data)
  }

  /** Polls the router and returns its `return_statuses` answer. */
  async requestStatuses(): Promise<AnyPacket> {
    this.packet('request_statuses', 'mephisto', {})
    return this.next('return_statuses')
  }
}

/** A worker's page socket, speaking as `mephisto-task` 2.0.4 does. */
export class TestAgent extends TestSocket {
  agentId: string

  private constructor(socket: TestSocket['socket'], agentId: string) {
    super(socket)
    this.agentId = agentId
  }

  /** Opens a socket on the router's root path, as the page does. */
  static async connect(socketUrl: string, agentId: string): Promise<TestAgent> {
    return new TestAgent(await TestSocket.open(socketUrl), agentId)
  }

  #packet(type: string, data?: unknown): void {
    const packet: Record<string, unknown> = {
      packet_type: type,
      subject_id: this.agentId,
      client_timestamp: Date.now() / 1000,
    }
    if (data !== undefined) packet['data'] = data
    this.send(packet)
  }

  alive(): void {
    this.#packet('alive', { update_id: crypto.randomUUID() })
  }

  /** Sends `alive` and returns the router's immediate status answer. */
  async connectAlive(): Promise<AnyPacket> {
    this.alive()
    return this.next('update_status')
  }

  /** A heartbeat, as the page sends it: no `data` key. */
  heartbeat(): void {
    this.#packet('heartbeat')
  }

  /** Sends a heartbeat and returns the router's echo. */
  async ping(): Promise<AnyPacket> {
    this.heartbeat()
    return this.next('heartbeat')
  }

  sendLiveUpdate(data: Record<string, unknown>): void {
    this.#packet('mephisto_bound_live_update', {
      ...data,
      update_id: data['update_id'] ?? crypto.randomUUID(),
    })
  }
}
