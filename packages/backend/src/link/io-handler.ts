import type { AgentStatus, FaustAck } from '@faust/protocol'
import {
  ErrorCode,
  FINAL_AGENT_STATUSES,
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
import { STORED, notStored, type StoredOutcome } from './stored-outcome.js'
import { describeStoreFailure, sqliteCodeOf } from '../store/store-failure.js'

/** What the run does with each kind of packet. */
export interface PacketHandlers {
  register(providerData: ProviderData, requestId: string): Promise<RegistrationResult>
  submitOnboarding(
    subjectId: string,
    answers: unknown,
    requestId: string,
  ): Promise<RegistrationResult>
  /**
   * `submit_unit`, with the client's idempotency key if the router passed one
   * (docs/protocol.md §14). Resolves once stored (or refused); nothing (void)
   * counts as stored. A throw is a store failure: answered `STORE_FAILED`.
   */
  submitUnit(
    agentId: string,
    data: unknown,
    submissionKey: string | null,
  ): Promise<StoredOutcome | undefined | void>
  /** `submit_metadata`; resolves and throws as {@link submitUnit}. */
  submitMetadata(subjectId: string, data: unknown): Promise<StoredOutcome | undefined | void>
  /**
   * Every agent of the run whose status is not final (regular and
   * onboarding), re-announced to the router after each (re)connect. Without
   * it, the agents whose statuses this handler pushed are announced.
   */
  liveAgents?(): Promise<Iterable<readonly [string, AgentStatus]>>
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
  /** Channel opens so far: an announcement read for an earlier one is dropped. */
  #opens = 0

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
      this.#opens += 1
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

  /** Packets from the router being handled, or queued behind their agent's previous one. */
  get handling(): number {
    return this.#inFlight.size
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
          this.#answer(
            requestId,
            () => handlers.submitOnboarding(packet.subject_id, answers, requestId),
            packet.faust_ack === undefined
              ? undefined
              : { ack: packet.faust_ack, subjectId: packet.subject_id },
          ),
        )
        return
      }
      case PacketType.SUBMIT_UNIT: {
        const ack = packet.faust_ack
        this.#inOrder(packet.subject_id, () =>
          this.#confirm(packet.subject_id, ack, () =>
            handlers.submitUnit(packet.subject_id, packet.data, ack?.submission_id ?? null),
          ),
        )
        return
      }
      case PacketType.SUBMIT_METADATA:
        this.#inOrder(packet.subject_id, () =>
          this.#confirm(packet.subject_id, packet.faust_ack, () =>
            handlers.submitMetadata(packet.subject_id, packet.data),
          ),
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

  /**
   * Exactly one answer per request: the `agent_details`, or a refusal if the
   * handler failed. A held `submit_onboarding` (`held`) whose answers could not
   * be stored is answered `faust_stored` STORE_FAILED instead, so the page
   * retries rather than being told there is no work.
   */
  async #answer(
    requestId: string,
    produce: () => Promise<RegistrationResult>,
    held?: { readonly ack: FaustAck; readonly subjectId: string },
  ): Promise<void> {
    let result: RegistrationResult
    try {
      result = await produce()
    } catch (error) {
      if (held !== undefined) {
        this.#storeFailed(held.subjectId, error)
        this.#send(PacketType.FAUST_STORED, held.subjectId, {
          request_id: held.ack.request_id,
          ...storeFailed(error),
        })
        return
      }
      this.#options.logger.error(
        { err: error, requestId },
        'registration failed; the page is told there is no work',
      )
      result = { details: refused({ requestId, workerId: null, reason: 'NO_AVAILABLE_UNITS' }) }
    }
    this.#send(PacketType.AGENT_DETAILS, this.#options.channelId, result.details)
    if (result.start !== undefined) await result.start()
  }

  /**
   * A held submission's confirmation (docs/protocol.md §14): `faust_stored`
   * once `store` has committed, or why not. A submission the router does not
   * hold (no `faust_ack`: Mephisto's router) gets no answer, as in the reference.
   */
  async #confirm(
    subjectId: string,
    ack: FaustAck | undefined,
    store: () => Promise<StoredOutcome | undefined | void>,
  ): Promise<void> {
    // Unheld, a failure goes to #track's log, as before the extension.
    if (ack === undefined) {
      await store()
      return
    }
    let outcome: StoredOutcome
    try {
      outcome = (await store()) ?? STORED
    } catch (error) {
      this.#storeFailed(subjectId, error)
      outcome = storeFailed(error)
    }
    this.#send(PacketType.FAUST_STORED, subjectId, { request_id: ack.request_id, ...outcome })
  }

  /** Logs a failed write with SQLite's code by name; the agent is left as it was. */
  #storeFailed(subjectId: string, error: unknown): void {
    this.#options.logger.error(
      { err: error, subjectId, sqliteCode: sqliteCodeOf(error) },
      `storing a submission failed (${describeStoreFailure(error)}); nothing changed, a retry may succeed`,
    )
  }

  /**
   * After each (re)connect (docs/protocol.md §14): every agent not yet ended
   * gets its status again, so a router that restarted admits its page, then
   * `faust_announced` says the list is complete.
   */
  #reannounce(): void {
    const liveAgents = this.#handlers?.liveAgents?.bind(this.#handlers)
    if (liveAgents === undefined) {
      this.#announce(this.#pushed.live())
      return
    }
    const open = this.#opens
    this.#track(
      liveAgents().then((agents) => {
        // Reconnected meanwhile: that open announces; a stale `faust_announced`
        // (sent into the outbox) would tell the router the list is complete too early.
        if (open === this.#opens) this.#announce(agents)
      }),
    )
  }

  #announce(agents: Iterable<readonly [string, AgentStatus]>): void {
    const announced = new Set<string>()
    const announce = (subjectId: string, stored: AgentStatus): void => {
      // What this process pushed is newer than a row read a moment ago.
      const status = this.#pushed.get(subjectId) ?? stored
      if (announced.has(subjectId) || FINAL_AGENT_STATUSES.has(status)) return
      announced.add(subjectId)
      this.#send(PacketType.UPDATE_STATUS, subjectId, { status })
    }
    for (const [subjectId, status] of agents) announce(subjectId, status)
    for (const [subjectId, status] of this.#pushed.live()) announce(subjectId, status)
    this.#send(PacketType.FAUST_ANNOUNCED, SYSTEM_SUBJECT_ID, {})
  }

  #inOrder(subjectId: string, job: () => Promise<void>): void {
    this.#track(this.#perSubject.run(subjectId, job))
  }

  #track(promise: Promise<unknown>): void {
    const tracked = promise.catch((error: unknown) => {
      // A failed write carries SQLite's code by name (SQLITE_FULL, …).
      this.#options.logger.error(
        { err: error, sqliteCode: sqliteCodeOf(error) },
        'handling a router packet failed',
      )
    })
    this.#inFlight.add(tracked)
    void tracked.finally(() => this.#inFlight.delete(tracked))
  }

  #send(type: string, subjectId: string, data: unknown): void {
    this.#options.channel.send(backendPacket(this.#options.clock, { type, subjectId, data }))
  }
}

/** The `faust_stored` refusal of a submission whose write failed. */
function storeFailed(error: unknown): StoredOutcome {
  const code = sqliteCodeOf(error)
  return notStored(
    ErrorCode.STORE_FAILED,
    `the backend could not store the submission${code === null ? '' : ` (${code})`}; retry later`,
  )
}
