import { FailureReason, type Clock, type TimerHandle } from '@faust/protocol'
import type { RefusalReason, RegistrationResult } from '../link/registration-answer.js'
import type { StoredOutcome } from '../link/stored-outcome.js'
import type { Store, StoreCommit } from '../store/store.js'
import type { BackendLogger } from '../util/logger.js'

/** Why a registration was refused: a {@link RefusalReason}, `OTHER` for a text Faust does not know, `FAILED` if it threw. */
export type ObservedRefusal = RefusalReason | 'OTHER' | 'FAILED'

/** Which registration step: the first (`register_agent`) or the onboarding's answers. */
export type RegistrationStep = 'register' | 'onboarding'

/**
 * What a run tells about its work, for metrics (`runTask({ observer })`).
 * Every member is optional; durations are wall-clock milliseconds. A hook
 * that throws is logged and ignored: observing never breaks a run.
 */
export interface RunObserver {
  /** The run is connecting to its router: the observer is told whose events follow. */
  runStarted?(event: { taskRunId: string }): void
  /** A registration answered: granted (`reason` null) or refused, and how long it took. */
  registration?(event: {
    granted: boolean
    reason: ObservedRefusal | null
    step: RegistrationStep
    ms: number
  }): void
  /** A unit's submission handled: stored (or found stored already) or refused with `code`. */
  submissionStored?(event: { stored: boolean; code: string | null; ms: number }): void
  /** One commit of the store (a group commit of batched writes, or a durable write). */
  storeCommit?(event: StoreCommit): void
  /**
   * Sampled every `backlogEveryMs` of the run's clock: packets for the router
   * waiting in the channel's outbox (the router is away), and packets from the
   * router being handled or queued behind their agent's previous one.
   */
  backlog?(event: { outbox: number; queued: number }): void
}

const REFUSAL_BY_TEXT: ReadonlyMap<string, RefusalReason> = new Map(
  Object.entries(FailureReason).map(([key, text]) => [text, key as RefusalReason]),
)

/** The refusal key of an `agent_details` failure text. */
function refusalOf(text: string): ObservedRefusal {
  return REFUSAL_BY_TEXT.get(text) ?? 'OTHER'
}

/** The run's side of {@link RunObserver}: timing, safe calls, the store's commits and the backlog sampler. */
export class RunObservation {
  readonly #observer: RunObserver
  readonly #logger: BackendLogger
  readonly #clock: Clock
  #unobserveStore: (() => void) | null = null
  #sampler: TimerHandle | null = null

  constructor(observer: RunObserver, options: { logger: BackendLogger; clock: Clock }) {
    this.#observer = observer
    this.#logger = options.logger
    this.#clock = options.clock
  }

  /** Starts watching the store's commits and sampling the backlog. */
  start(input: {
    taskRunId: string
    store: Store
    backlog: () => { outbox: number; queued: number }
    backlogEveryMs: number
  }): void {
    this.#call('runStarted', { taskRunId: input.taskRunId })
    if (this.#observer.storeCommit !== undefined) {
      this.#unobserveStore = input.store.observeCommits((commit) => {
        this.#call('storeCommit', commit)
      })
    }
    if (this.#observer.backlog !== undefined) {
      this.#sampler = this.#clock.setInterval(() => {
        this.#call('backlog', input.backlog())
      }, input.backlogEveryMs)
    }
  }

  stop(): void {
    this.#unobserveStore?.()
    this.#unobserveStore = null
    if (this.#sampler !== null) this.#clock.clearInterval(this.#sampler)
    this.#sampler = null
  }

  /** Times a registration step and reports its answer; the answer itself is passed on untouched. */
  async registration(
    step: RegistrationStep,
    produce: () => Promise<RegistrationResult>,
  ): Promise<RegistrationResult> {
    const started = performance.now()
    let result: RegistrationResult
    try {
      result = await produce()
    } catch (error) {
      this.#call('registration', { granted: false, reason: 'FAILED', step, ms: elapsed(started) })
      throw error
    }
    const failure = result.details.failure_reason
    this.#call('registration', {
      granted: failure === null,
      reason: failure === null ? null : refusalOf(failure),
      step,
      ms: elapsed(started),
    })
    return result
  }

  /** Times a unit's submission and reports what became of it. */
  async submission(produce: () => Promise<StoredOutcome>): Promise<StoredOutcome> {
    const started = performance.now()
    try {
      const outcome = await produce()
      this.#call('submissionStored', {
        stored: outcome.ok,
        code: outcome.ok ? null : outcome.code,
        ms: elapsed(started),
      })
      return outcome
    } catch (error) {
      this.#call('submissionStored', { stored: false, code: 'FAILED', ms: elapsed(started) })
      throw error
    }
  }

  #call<TKey extends keyof RunObserver>(
    key: TKey,
    event: Parameters<NonNullable<RunObserver[TKey]>>[0],
  ): void {
    const hook = this.#observer[key] as
      ((event: Parameters<NonNullable<RunObserver[TKey]>>[0]) => void) | undefined
    if (hook === undefined) return
    try {
      hook.call(this.#observer, event)
    } catch (error) {
      this.#logger.warn(
        { code: 'RUN_OBSERVER_FAILED', hook: key, err: error },
        'a run observer threw; ignored',
      )
    }
  }
}

function elapsed(started: number): number {
  return performance.now() - started
}
