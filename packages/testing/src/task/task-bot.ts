import { WebSocket } from 'ws'
import type { Clock } from '@faust/protocol'
import type { TaskRunHandle } from '@faust/backend'
import type { Store, SubmissionRecord } from '@faust/backend/store'
import {
  createTaskClient,
  mockWorkerProvider,
  type BlockedReason,
  type LiveState,
  type LiveUpdate,
  type SubmitOptions,
  type TaskClient,
  type TaskClientOptions,
  type TaskState,
} from '@faust/client'
import { within } from '../deferred.js'
import { LiveInbox } from './live-inbox.js'
import { untilStored } from './run-waits.js'

/** A registration the backend granted: the agent the bot now works as. */
export interface BotAccepted {
  readonly accepted: true
  readonly agentId: string
  /** The backend's worker id. */
  readonly workerId: string | null
  /** True for an onboarding agent (`onboarding_…`): `initTaskData` is the onboarding data. */
  readonly onboarding: boolean
  readonly initTaskData: unknown
}

/** A registration (or onboarding) the backend refused. */
export interface BotRefused {
  readonly accepted: false
  readonly workerId: string | null
  /** The text the worker would see: the backend's `failure_reason`, or the client's. */
  readonly reason: string | null
  readonly blockedReason: BlockedReason | null
}

/** What {@link TaskBot.register} and {@link TaskBot.submitOnboarding} resolve with. */
export type BotRegistration = BotAccepted | BotRefused

/** Options of `h.worker(name, options)`. */
export interface BotOptions {
  /** The provider's assignment id; the same name and assignment again is a reload. @default `assignment-<name>` */
  readonly assignmentId?: string
  /**
   * Open the live socket after registering (and after passing onboarding).
   * @default true for `concurrent` tasks and tasks with remote procedures
   */
  readonly live?: boolean
  /** More options for `createTaskClient` (e.g. `liveConfig`). */
  readonly client?: Partial<TaskClientOptions>
}

/**
 * A worker's page run by a test: `@faust/client` in Node (global fetch, the
 * `ws` WebSocket) with a mock provider identity `<name>`.
 */
export interface TaskBot {
  readonly name: string
  /** The client, for anything the bot does not wrap. */
  readonly client: TaskClient
  /** The agent the bot works as now; null before registration or when refused. */
  readonly agentId: string | null
  /** Live updates received so far, in order (replayed past updates included). */
  readonly liveUpdates: readonly LiveUpdate[]
  /** Loads the config and registers; opens the live socket when the bot is live. */
  register(): Promise<BotRegistration>
  /** Submits onboarding answers; passing makes the bot the unit's agent. */
  submitOnboarding(answers: unknown): Promise<BotRegistration>
  /** Submits the unit; resolves with the submission once the backend has stored it. */
  submit(data: unknown, options?: SubmitOptions): Promise<SubmissionRecord>
  /** Opens the live socket (as the current agent) and waits until it is connected. */
  connect(): Promise<void>
  /** Waits until the backend's last pushed status for this agent is `status` (e.g. `in task`). */
  waitForStatus(status: string): Promise<void>
  /** The first received live update not taken yet that satisfies `predicate` (waiting for it). */
  nextLiveUpdate(predicate?: (update: LiveUpdate) => boolean): Promise<LiveUpdate>
  /** Sends a live update; resolves with it as sent (with its `update_id`). */
  sendLiveUpdate(update: LiveUpdate): Promise<LiveUpdate>
  /** Calls the remote procedure `target` and resolves with its answer (rejects with the client's error). */
  call<TResult = unknown>(target: string, args?: unknown): Promise<TResult>
  /** Closes the page: cancels requests, closes the live socket. */
  stop(): void
}

/** What a bot needs from its harness. */
export interface BotContext {
  readonly baseUrl: string
  readonly clock: Clock
  readonly run: TaskRunHandle
  readonly store: Store
  readonly waitMs: number
  /** Whether bots open the live socket by default. */
  readonly live: boolean
  /** Told the backend's worker id of a bot once it has one. */
  readonly identified: (workerId: string, name: string) => void
}

/** A mock provider's page identity: worker `name` on `assignmentId`. */
export const botProvider = mockWorkerProvider

/** The client's settled state as a {@link BotRegistration}; an `error` state throws. */
export function toRegistration(state: TaskState): BotRegistration {
  if (state.status === 'ready' && state.agentId !== null) {
    return {
      accepted: true,
      agentId: state.agentId,
      workerId: state.mephistoWorkerId,
      onboarding: state.isOnboarding === true,
      initTaskData: state.initialTaskData,
    }
  }
  if (state.status === 'blocked') {
    return {
      accepted: false,
      workerId: state.mephistoWorkerId,
      reason: state.blockedExplanation,
      blockedReason: state.blockedReason,
    }
  }
  const cause = state.error ?? undefined
  throw new Error(
    `the bot could not register (status ${state.status}): ${cause?.message ?? 'no error'}`,
    { cause },
  )
}

/** Creates a bot for worker `name` (nothing is sent until `register()`). */
export function createBot(ctx: BotContext, name: string, options: BotOptions = {}): TaskBot {
  const assignmentId = options.assignmentId ?? `assignment-${name}`
  const live = options.live ?? ctx.live
  const client = createTaskClient({
    baseUrl: ctx.baseUrl,
    fetch,
    WebSocket,
    clock: ctx.clock,
    provider: botProvider(name, assignmentId),
    live,
    // The backend is up: a failed request is the test's answer, not something to retry.
    maxAttempts: 1,
    userAgent: 'faust-task-bot',
    ...options.client,
  })
  return new Bot(ctx, { name, client, live })
}

/** {@link TaskBot} over one client. */
class Bot implements TaskBot {
  readonly name: string
  readonly client: TaskClient
  readonly #ctx: BotContext
  readonly #live: boolean
  readonly #inbox: LiveInbox

  constructor(ctx: BotContext, parts: { name: string; client: TaskClient; live: boolean }) {
    this.#ctx = ctx
    this.name = parts.name
    this.client = parts.client
    this.#live = parts.live
    this.#inbox = new LiveInbox(parts.client)
  }

  get agentId(): string | null {
    return this.client.getSnapshot().agentId
  }

  get liveUpdates(): readonly LiveUpdate[] {
    return this.#inbox.received
  }

  async register(): Promise<BotRegistration> {
    const state = await this.#within(this.client.start(), `${this.name}'s registration`)
    return this.#settle(state)
  }

  async submitOnboarding(answers: unknown): Promise<BotRegistration> {
    const state = await this.#within(
      this.client.submitOnboarding(answers),
      `${this.name}'s onboarding verdict`,
    )
    return this.#settle(state)
  }

  async submit(data: unknown, options: SubmitOptions = {}): Promise<SubmissionRecord> {
    const { agentId, isOnboarding } = this.client.getSnapshot()
    if (agentId === null || isOnboarding === true) {
      throw new Error(`${this.name} has no unit to submit: register (and pass onboarding) first`)
    }
    await this.#within(this.client.submitTask(data, options), `${this.name}'s submit`)
    return untilStored(this.#ctx.run, () => this.#ctx.store.submissions.get(agentId), {
      ms: this.#ctx.waitMs,
      what: `the submission of ${this.name} (${agentId}) to be stored`,
    })
  }

  async connect(): Promise<void> {
    this.client.live.connect()
    await this.#until(
      (live) => live.connectionStatus === 'connected',
      `${this.name}'s live socket to connect`,
    )
  }

  async waitForStatus(status: string): Promise<void> {
    await this.#until((live) => live.agentStatus === status, `${this.name} to be '${status}'`)
  }

  nextLiveUpdate(predicate: (update: LiveUpdate) => boolean = () => true): Promise<LiveUpdate> {
    return this.#inbox.next(predicate, this.#ctx.waitMs)
  }

  sendLiveUpdate(update: LiveUpdate): Promise<LiveUpdate> {
    return this.#within(this.client.live.sendLiveUpdate(update), `${this.name}'s live update`)
  }

  async call<TResult = unknown>(target: string, args?: unknown): Promise<TResult> {
    const answer = await this.#within(
      this.client.live.call(target, args),
      `the answer to ${this.name}'s call of '${target}'`,
    )
    return answer as TResult
  }

  stop(): void {
    this.client.stop()
  }

  /** Reports the worker id, and opens the live socket for a live bot's unit agent. */
  async #settle(state: TaskState): Promise<BotRegistration> {
    const registration = toRegistration(state)
    if (registration.workerId !== null) this.#ctx.identified(registration.workerId, this.name)
    if (registration.accepted && !registration.onboarding && this.#live) await this.connect()
    return registration
  }

  #within<TValue>(promise: Promise<TValue>, what: string): Promise<TValue> {
    return within(promise, this.#ctx.waitMs, what)
  }

  /** Resolves once the live connection's state satisfies `predicate`. */
  #until(predicate: (live: LiveState) => boolean, what: string): Promise<void> {
    const { live } = this.client
    return this.#within(
      new Promise<void>((resolve) => {
        const check = (): void => {
          if (!predicate(live.getSnapshot())) return
          stop()
          resolve()
        }
        const stop = live.subscribe(check)
        check()
      }),
      what,
    )
  }
}
