// One simulated worker: takes assignment after assignment (registering,
// onboarding, answering with the task's `bot`, submitting) until the
// simulation ends, with the page faults the chaos asks for.
import type { BotOptions } from '@faust/backend'
import { ClientError, type TaskClient, type TaskState } from '@faust/client'
import { bounded, liveContext, openBotPage, type SocketTracker } from './bot-page.js'
import { between, type Random } from './seeded-random.js'
import type { SimRecord } from './sim-record.js'

/** Chances (0 to 1) of the faults a page meets; all 0 without `--chaos`. */
export interface PageFaults {
  /** The page reloads between registration and submission. */
  readonly reload: number
  /** The page's live sockets are cut while it works. */
  readonly dropSockets: number
  /** The page dawdles (up to 3 s) before each step. */
  readonly slow: number
  /** The submission is sent twice at once (a double click). */
  readonly duplicate: number
  /**
   * How long a worker works on a unit before submitting, [min, max] ms: with
   * faults, long enough for them to land while work is under way.
   */
  readonly thinkMs: readonly [number, number]
}

export const NO_PAGE_FAULTS: PageFaults = {
  reload: 0,
  dropSockets: 0,
  slow: 0,
  duplicate: 0,
  thinkMs: [0, 0],
}

/** What every bot shares. */
export interface SimBotEnv {
  readonly baseUrl: string
  readonly bot: BotOptions
  /** Open the live socket (concurrent tasks and tasks with remote procedures). */
  readonly live: boolean
  readonly concurrent: boolean
  readonly random: Random
  readonly faults: PageFaults
  readonly record: SimRecord
  readonly sockets: SocketTracker
  /** Aborted when the simulation ends: every page closes. */
  readonly signal: AbortSignal
  /** The longest a page waits for one answer before it counts as stuck. */
  readonly stepMs: number
}

/** Statuses after which a live page cannot work on its unit. */
const GONE = new Set(['disconnect', 'returned', 'expired', 'timeout', 'mephisto disconnect'])
/** Submissions retried by the bot (as a worker clicks again) when the client gave up. */
const SUBMIT_TRIES = 4

type Outcome = 'submitted' | 'refused' | 'error'

/**
 * Runs worker `name` until the simulation's signal aborts. A page that
 * failed (its registration's answer lost to a killed process, say) is
 * reloaded on the same assignment until it works, as a worker holding work
 * comes back to it: the backend may have reserved a unit for it, which only
 * that assignment's registration gets back. Under many process kills a few
 * tries were not enough, and each abandoned unit stayed held until its
 * deadline, long after the simulation's time limit.
 */
export async function runSimBot(env: SimBotEnv, name: string): Promise<void> {
  for (let assignment = 1; !env.signal.aborted;) {
    const outcome = await workOneAssignment(env, name, `${name}-a${String(assignment)}`)
    if (outcome !== 'error') assignment += 1
    if (outcome !== 'submitted') await pause(env, between(env.random, 200, 1000))
  }
}

async function pause(env: SimBotEnv, ms: number): Promise<void> {
  if (env.signal.aborted) return
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms)
    function done(): void {
      clearTimeout(timer)
      env.signal.removeEventListener('abort', done)
      resolve()
    }
    env.signal.addEventListener('abort', done)
  })
}

async function maybeSlow(env: SimBotEnv): Promise<void> {
  if (env.random() < env.faults.slow) await pause(env, between(env.random, 100, 3000))
}

/** One assignment, from registration to an acknowledged submission. */
async function workOneAssignment(
  env: SimBotEnv,
  name: string,
  assignmentId: string,
): Promise<Outcome> {
  const page = new PageHolder(env, name, assignmentId)
  try {
    return await page.work()
  } catch (error) {
    if (env.signal.aborted) return 'error'
    env.record.transientErrors += 1
    page.noteError(error)
    return 'error'
  } finally {
    page.close()
  }
}

/** The current page of one assignment (a reload replaces it). */
class PageHolder {
  readonly #env: SimBotEnv
  readonly #name: string
  readonly #assignmentId: string
  #client: TaskClient
  #agentId: string | null = null
  readonly #onAbort = (): void => {
    this.#client.stop()
  }

  constructor(env: SimBotEnv, name: string, assignmentId: string) {
    this.#env = env
    this.#name = name
    this.#assignmentId = assignmentId
    this.#client = this.#open()
    env.signal.addEventListener('abort', this.#onAbort)
  }

  #open(): TaskClient {
    return openBotPage({
      baseUrl: this.#env.baseUrl,
      worker: this.#name,
      assignmentId: this.#assignmentId,
      live: this.#env.live,
      sockets: this.#env.sockets,
    })
  }

  async work(): Promise<Outcome> {
    const env = this.#env
    await maybeSlow(env)
    const state = await this.#step(this.#client.start(), 'registration')
    if (state.status === 'blocked') return 'refused'
    if (state.status !== 'ready')
      throw state.error ?? new Error(`registration ended '${state.status}'`)
    env.record.registrations += 1
    const unitState = state.isOnboarding === true ? await this.#onboard(state) : state
    if (unitState === null) return 'refused'
    this.#agentId = unitState.agentId
    await this.#connect()
    if (env.random() < env.faults.reload) await this.#reload()
    const data = await this.#answer()
    if (data === null) return 'refused'
    const [least, most] = env.faults.thinkMs
    if (most > 0) await pause(env, between(env.random, least, most))
    await maybeSlow(env)
    if (env.random() < env.faults.dropSockets) env.sockets.dropAll()
    await this.#submit(data)
    return 'submitted'
  }

  async #onboard(state: TaskState): Promise<TaskState | null> {
    const env = this.#env
    const answers = await env.bot.onboarding?.({
      worker: this.#name,
      random: env.random,
      data: state.initialTaskData,
    })
    await maybeSlow(env)
    const after = await this.#step(this.#client.submitOnboarding(answers), 'the onboarding verdict')
    if (after.status !== 'ready' || after.isOnboarding === true) return null
    env.record.onboardingsPassed += 1
    return after
  }

  async #connect(): Promise<void> {
    if (!this.#env.live) return
    const { live } = this.#client
    live.connect()
    await this.#step(
      new Promise<void>((resolve) => {
        const check = (): void => {
          if (live.getSnapshot().connectionStatus !== 'connected') return
          stop()
          resolve()
        }
        const stop = live.subscribe(check)
        check()
      }),
      'the live socket',
    )
  }

  /** A reload: a new page for the same assignment, which must get the same agent back. */
  async #reload(): Promise<void> {
    this.#client.stop()
    this.#client = this.#open()
    const state = await this.#step(this.#client.start(), 'registration after a reload')
    if (state.agentId !== this.#agentId) {
      throw new Error(
        `a reload got ${state.agentId ?? `no agent (${state.status})`} instead of ${String(this.#agentId)}`,
      )
    }
    await this.#connect()
  }

  /** The bot's answer; null when a live unit ended before the worker could work. */
  async #answer(): Promise<unknown> {
    const env = this.#env
    const snapshot = this.#client.getSnapshot()
    const base = { worker: this.#name, random: env.random, data: snapshot.initialTaskData }
    if (!env.concurrent) {
      const call = (target: string, args?: unknown): Promise<unknown> =>
        this.#client.live.call(target, args)
      return this.#step(Promise.resolve(env.bot.unit?.({ ...base, call })), 'its answer')
    }
    const ctx = liveContext(this.#client, base)
    try {
      const started = await this.#step(
        ctx.waitFor(
          ({ status }) => status === 'in task' || (status !== null && GONE.has(status)),
          env.stepMs,
        ),
        'its partners',
      )
      if (!started) throw new Error('still waiting for partners')
      if (ctx.status !== 'in task') return null
      return (await this.#step(Promise.resolve(env.bot.live?.(ctx)), 'its live exchange')) ?? {}
    } finally {
      ctx.dispose()
    }
  }

  /** Submits (twice at once for a duplicate); retried while the answer may change. */
  async #submit(data: unknown): Promise<void> {
    const env = this.#env
    for (let attempt = 1; ; attempt += 1) {
      const sends = env.random() < env.faults.duplicate ? 2 : 1
      const answers = await Promise.allSettled(
        Array.from({ length: sends }, () =>
          this.#step(this.#client.submitTask(data), 'the submit'),
        ),
      )
      if (answers.some((answer) => answer.status === 'fulfilled')) {
        env.record.ack({ worker: this.#name, agentId: String(this.#agentId), data })
        return
      }
      const failure = (answers[0] as PromiseRejectedResult).reason as unknown
      const retryable = !(failure instanceof ClientError) || failure.retryable
      if (!retryable || attempt >= SUBMIT_TRIES || env.signal.aborted) throw failure
      await pause(env, between(env.random, 300, 1500))
    }
  }

  async #step<TValue>(promise: Promise<TValue>, what: string): Promise<TValue> {
    return bounded(promise, {
      ms: this.#env.stepMs,
      what: `${this.#name}'s ${what}`,
      signal: this.#env.signal,
    })
  }

  /** An error once the bot held an agent is a page the worker cannot take further. */
  noteError(error: unknown): void {
    if (this.#agentId === null) return
    const text =
      error instanceof ClientError
        ? `${error.code}${error.status === null ? '' : ` (HTTP ${String(error.status)})`}: ${error.message}`
        : error instanceof Error
          ? error.message
          : String(error)
    this.#env.record.stuckPage({ worker: this.#name, agentId: this.#agentId, what: text })
  }

  close(): void {
    this.#env.signal.removeEventListener('abort', this.#onAbort)
    this.#client.stop()
  }
}
