import type { AgentStatus } from '@faust/protocol'
import {
  PacketType,
  SYSTEM_SUBJECT_ID,
  type Clock,
  type ProviderData,
  type RouterToBackendPacket,
  type TimerHandle,
} from '@faust/protocol'
import type { BackendLogger } from '../util/logger.js'
import { KeyedQueue } from '../util/keyed-queue.js'
import { refused, type RegistrationResult } from './registration-answer.js'
import { backendPacket } from './backend-packet.js'
import { PushedStatuses } from './pushed-statuses.js'
import { RecentIds } from './recent-ids.js'
import type { PacketChannel } from './packet-channel.js'

/** What the run does with each kind of packet. */
export interface PacketHandlers {
  register(providerData: ProviderData, requestId: string): Promise<RegistrationResult>
  submitOnboarding(
    subjectId: string,
    answers: unknown,
    requestId: string,
  ): Promise<RegistrationResult>
  submitUnit(agentId: string, data: unknown): Promise<void>
  submitMetadata(subjectId: string, data: unknown): Promise<void>
  logError(subjectId: string | null, data: unknown): Promise<void>
  /** Resolves once the update is taken in (a remote call admitted, a live update stored), not when it is served. */
  liveUpdate(subjectId: string, data: Record<string, unknown>): void | Promise<void>
  /** The router's view of every agent (`return_statuses`), to reconcile with ours (docs/protocol.md §5.4). */
  reconcile(
    statuses: Readonly<Record<string, string>>,
    pushed: { get(subjectId: string): AgentStatus | undefined },
  ): Promise<void>
}

/** Sizes of the handler's per-agent state, for tests and diagnostics. */
export interface IoHandlerStats {
  /** Agents still working whose last pushed status is kept. */
  readonly pushedLive: number
  /** Ended agents whose final status is remembered (bounded). */
  readonly pushedEnded: number
}

/** Options of {@link IoHandler}. */
export interface IoHandlerOptions {
  readonly channel: PacketChannel
  readonly clock: Clock
  readonly logger: BackendLogger
  /** Names this backend in `agent_details` (the reference's channel id). */
  readonly channelId: string
  /** How often to poll the router's statuses; also the backend's keep-alive. @default 4000 */
  readonly statusPollMs?: number | undefined
}

/**
 * The backend's side of the wire: dispatches router packets to the run,
 * answers every `register_agent` and `submit_onboarding` with exactly one
 * `agent_details`, pushes statuses, polls `request_statuses`, and after each
 * reconnect names every live agent again so a restarted router admits them.
 * Packets about one agent are handled one at a time, in arrival order.
 */
export class IoHandler {
  readonly #options: IoHandlerOptions
  #handlers: PacketHandlers | undefined
  readonly #perSubject = new KeyedQueue()
  readonly #liveUpdateIds = new RecentIds(100_000)
  readonly #pushed = new PushedStatuses()
  readonly #inFlight = new Set<Promise<unknown>>()
  readonly #pollTimer: TimerHandle

  /**
   * `handlers` may come later through {@link serve}: a run creates its
   * handler first (its services push statuses through it), then the services
   * that handle packets. No packet arrives before the channel is started.
   */
  constructor(options: IoHandlerOptions, handlers?: PacketHandlers) {
    this.#options = options
    this.#handlers = handlers
    options.channel.onPacket = (packet) => {
      this.#dispatch(packet)
    }
    options.channel.onOpen = () => {
      this.#reannounce()
    }
    this.#pollTimer = options.clock.setInterval(() => {
      this.#send(PacketType.REQUEST_STATUSES, SYSTEM_SUBJECT_ID, {})
    }, options.statusPollMs ?? 4000)
  }

  /** Hands the router's packets to `handlers` from now on. */
  serve(handlers: PacketHandlers): void {
    this.#handlers = handlers
  }

  /** Pushes an agent's status to its page (through the router). */
  pushStatus(subjectId: string, status: AgentStatus): void {
    this.#pushed.set(subjectId, status)
    this.#send(PacketType.UPDATE_STATUS, subjectId, { status })
  }

  stats(): IoHandlerStats {
    return { pushedLive: this.#pushed.liveCount, pushedEnded: this.#pushed.endedCount }
  }

  /** Sends live data to an agent's page. */
  sendLiveUpdate(subjectId: string, data: Record<string, unknown>): void {
    this.#send(PacketType.CLIENT_BOUND_LIVE_UPDATE, subjectId, {
      ...data,
      update_id: data['update_id'] ?? crypto.randomUUID(),
    })
  }

  /** Waits for every packet being handled. */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight])
  }

  /** Stops polling; the channel is closed by its owner. */
  close(): void {
    this.#options.clock.clearInterval(this.#pollTimer)
  }

  #dispatch(packet: RouterToBackendPacket): void {
    const handlers = this.#handlers
    if (handlers === undefined) {
      this.#options.logger.error(
        { packetType: packet.packet_type },
        'packet before the run serves packets; dropped',
      )
      return
    }
    switch (packet.packet_type) {
      case PacketType.REGISTER_AGENT:
        this.#track(
          this.#answer(packet.data.request_id, () =>
            handlers.register(packet.data.provider_data, packet.data.request_id),
          ),
        )
        return
      case PacketType.SUBMIT_ONBOARDING: {
        const { request_id: requestId, onboarding_data: answers } = packet.data
        this.#inOrder(packet.subject_id, () =>
          this.#answer(requestId, () =>
            handlers.submitOnboarding(packet.subject_id, answers, requestId),
          ),
        )
        return
      }
      case PacketType.SUBMIT_UNIT:
        this.#inOrder(packet.subject_id, () => handlers.submitUnit(packet.subject_id, packet.data))
        return
      case PacketType.SUBMIT_METADATA:
        this.#inOrder(packet.subject_id, () =>
          handlers.submitMetadata(packet.subject_id, packet.data),
        )
        return
      case PacketType.MEPHISTO_BOUND_LIVE_UPDATE: {
        const updateId = packet.data['update_id']
        if (typeof updateId === 'string' && !this.#liveUpdateIds.add(updateId)) return
        this.#inOrder(packet.subject_id, async () => {
          await handlers.liveUpdate(packet.subject_id, packet.data)
        })
        return
      }
      case PacketType.LOG_ERROR:
        this.#options.logger.warn(
          { subjectId: packet.subject_id, data: packet.data },
          '[FRONT_END_ERROR]',
        )
        this.#track(handlers.logError(packet.subject_id, packet.data))
        return
      case PacketType.RETURN_STATUSES:
        this.#track(handlers.reconcile(packet.data, this.#pushed))
        return
    }
  }

  /** Exactly one `agent_details` per request: the answer, or a refusal if the handler failed. */
  async #answer(requestId: string, produce: () => Promise<RegistrationResult>): Promise<void> {
    let result: RegistrationResult
    try {
      result = await produce()
    } catch (error) {
      this.#options.logger.error(
        { err: error, requestId },
        'registration failed; the page is told there is no work',
      )
      result = { details: refused({ requestId, workerId: null, reason: 'NO_AVAILABLE_UNITS' }) }
    }
    this.#send(PacketType.AGENT_DETAILS, this.#options.channelId, result.details)
    if (result.start !== undefined) await result.start()
  }

  #reannounce(): void {
    for (const [subjectId, status] of this.#pushed.live()) {
      this.#send(PacketType.UPDATE_STATUS, subjectId, { status })
    }
  }

  #inOrder(subjectId: string, job: () => Promise<void>): void {
    this.#track(this.#perSubject.run(subjectId, job))
  }

  #track(promise: Promise<unknown>): void {
    const tracked = promise.catch((error: unknown) => {
      this.#options.logger.error({ err: error }, 'handling a router packet failed')
    })
    this.#inFlight.add(tracked)
    void tracked.finally(() => this.#inFlight.delete(tracked))
  }

  #send(type: string, subjectId: string, data: unknown): void {
    this.#options.channel.send(backendPacket(this.#options.clock, { type, subjectId, data }))
  }
}
