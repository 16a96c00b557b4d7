import type { Clock, TimerHandle } from '@faust/protocol'
import type { BackendLogger } from '../../util/logger.js'
import type { Store } from '../../store/store.js'
import { AgentTimeoutError, type AgentError } from '../../definition/agent-errors.js'
import type { UnitInfo, WorkerInfo } from '../../definition/task-info.js'
import type { LiveAgent, LiveData, LiveHistoryEntry } from '../../definition/live-task-options.js'
import { retryTransient } from '../../store/retry-transient.js'

/** What a {@link LiveAgentHandle} needs from its assignment. */
export interface LiveAgentDeps {
  readonly clock: Clock
  readonly store: Store
  readonly logger: BackendLogger
  /** Sends a `client_bound_live_update` through the router. */
  send(agentId: string, data: Record<string, unknown>): void
  /** A wait of this agent timed out: the assignment marks it `timeout` and ends. */
  timedOut(agentId: string): void
}

interface Waiter {
  resolve(data: LiveData): void
  reject(error: AgentError): void
}

/**
 * The task code's handle on one agent of a running assignment: an inbox of
 * the page's live updates (in arrival order), the submission, and `observe`
 * (stored, then sent, in call order). Once ended (`end`), every wait rejects
 * with the error the assignment chose.
 */
export class LiveAgentHandle implements LiveAgent {
  readonly id: string
  readonly worker: WorkerInfo
  readonly unit: UnitInfo
  readonly #deps: LiveAgentDeps
  readonly #inbox: LiveData[] = []
  readonly #receivers: Waiter[] = []
  readonly #submitWaiters: { resolve(data: unknown): void; reject(error: AgentError): void }[] = []
  #submission: { data: unknown } | undefined
  #ended: AgentError | undefined
  #outbox: Promise<void> = Promise.resolve()

  constructor(deps: LiveAgentDeps, info: { id: string; worker: WorkerInfo; unit: UnitInfo }) {
    this.#deps = deps
    this.id = info.id
    this.worker = info.worker
    this.unit = info.unit
  }

  observe(data: LiveData): Promise<void> {
    if (this.#ended !== undefined) {
      this.#deps.logger.debug({ agentId: this.id }, 'observe after the agent left; not sent')
      return Promise.resolve()
    }
    const update = { ...data, update_id: data['update_id'] ?? crypto.randomUUID() }
    // Stored before it is sent, in call order: a reload replays exactly what was sent.
    const step = this.#outbox.then(async () => {
      // A full disk for a few seconds must not end the pair's exchange.
      await retryTransient(
        () =>
          this.#deps.store.liveUpdates.add({
            agentId: this.id,
            direction: 'to_agent',
            data: update,
          }),
        { clock: this.#deps.clock, logger: this.#deps.logger, what: 'a live update to a page' },
      )
      this.#deps.send(this.id, update)
    })
    this.#outbox = step.catch((error: unknown) => {
      this.#deps.logger.error({ err: error, agentId: this.id }, 'a live update could not be sent')
    })
    return step
  }

  receive(options: { readonly timeoutSeconds?: number | undefined } = {}): Promise<LiveData> {
    if (this.#ended !== undefined) return Promise.reject(this.#ended)
    const next = this.#inbox.shift()
    if (next !== undefined) return Promise.resolve(next)
    return this.#wait(this.#receivers, options.timeoutSeconds)
  }

  awaitSubmit(options: { readonly timeoutSeconds?: number | undefined } = {}): Promise<unknown> {
    if (this.#submission !== undefined) return Promise.resolve(this.#submission.data)
    if (this.#ended !== undefined) return Promise.reject(this.#ended)
    return this.#wait(this.#submitWaiters, options.timeoutSeconds)
  }

  async history(): Promise<readonly LiveHistoryEntry[]> {
    // What `observe` has queued is stored first, so the history includes it.
    await this.#outbox
    const updates = await this.#deps.store.liveUpdates.list(this.id)
    return updates.map(({ direction, data, at }) => ({ direction, data, at }))
  }

  /** A live update from the page. */
  deliver(data: LiveData): void {
    const receiver = this.#receivers.shift()
    if (receiver !== undefined) receiver.resolve(data)
    else this.#inbox.push(data)
  }

  /** The page's submission was stored. */
  submitted(data: unknown): void {
    this.#submission = { data }
    for (const waiter of this.#submitWaiters.splice(0)) waiter.resolve(data)
  }

  /** Ends every wait, now and later, with `error` (the first reason wins). */
  end(error: AgentError): void {
    this.#ended ??= error
    for (const waiter of this.#receivers.splice(0)) waiter.reject(this.#ended)
    for (const waiter of this.#submitWaiters.splice(0)) waiter.reject(this.#ended)
  }

  /** Resolves once every `observe` so far has been stored and sent. */
  flushed(): Promise<void> {
    return this.#outbox
  }

  #wait<TValue>(
    waiters: { resolve(value: TValue): void; reject(error: AgentError): void }[],
    timeoutSeconds: number | undefined,
  ): Promise<TValue> {
    return new Promise<TValue>((resolve, reject) => {
      let timer: TimerHandle | undefined
      const waiter = {
        resolve: (value: TValue) => {
          if (timer !== undefined) this.#deps.clock.clearTimeout(timer)
          resolve(value)
        },
        reject: (error: AgentError) => {
          if (timer !== undefined) this.#deps.clock.clearTimeout(timer)
          reject(error)
        },
      }
      waiters.push(waiter)
      if (timeoutSeconds === undefined) return
      timer = this.#deps.clock.setTimeout(() => {
        timer = undefined
        // The assignment ends this agent with the same error (and tells the others).
        this.end(new AgentTimeoutError(this.id))
        this.#deps.timedOut(this.id)
      }, timeoutSeconds * 1000)
    })
  }
}
