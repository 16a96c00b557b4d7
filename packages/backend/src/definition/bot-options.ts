// `defineTask({ bot })`: how a simulated worker of `faust simulate` answers.
// Only types and their check live here: the bots themselves run in the CLI,
// on `@faust/client`, so the backend never depends on the client.
import * as v from 'valibot'
import type { LiveData } from './live-task-options.js'

/** What every answer of a simulated worker gets. */
export interface BotContext {
  /** The bot's worker name (the mock provider's `worker_name`). */
  readonly worker: string
  /** A number in [0, 1) from the simulation's one seeded generator: the same seed, the same choices. */
  readonly random: () => number
}

/** What a bot's onboarding answer gets: the onboarding data, as the page would. */
export interface BotOnboardingContext extends BotContext {
  readonly data: unknown
}

/** What a bot's unit answer gets. */
export interface BotUnitContext extends BotContext {
  /** The unit's init data, as the page gets it (`{ task_data, previous_requests }` for a remote-procedure task). */
  readonly data: unknown
  /** Calls a remote procedure of the task, as the page's `remoteProcedure(target)(args)`. */
  readonly call: (target: string, args?: unknown) => Promise<unknown>
}

/** What a bot's live exchange (a `concurrent` task) gets. */
export interface BotLiveContext extends BotUnitContext {
  /** The agent's status as the router last pushed it (`in task`, `partner disconnect`, …). */
  readonly status: string | null
  /** Sends a live update to the task's `run`. */
  readonly send: (update: LiveData) => Promise<void>
  /**
   * Waits until a live update received (past ones included) or the agent's
   * status satisfies `until`; false when `timeoutMs` passed first.
   */
  readonly waitFor: (until: (view: BotLiveView) => boolean, timeoutMs: number) => Promise<boolean>
}

/** What a live bot has seen so far. */
export interface BotLiveView {
  /** Every live update received, in order (replayed ones included). */
  readonly updates: readonly LiveData[]
  /** The agent's status as the router last pushed it (`in task`, `partner disconnect`, …). */
  readonly status: string | null
}

/**
 * A simulated worker (`faust simulate`): each function returns what the page
 * would submit. A task with `onboarding` needs `bot.onboarding`; a
 * `concurrent` task needs `bot.live`, any other `bot.unit`.
 */
export interface BotOptions {
  /** The onboarding answers (`submit_onboarding`'s outputs). */
  readonly onboarding?: ((ctx: BotOnboardingContext) => unknown) | undefined
  /** A static or remote-procedure unit: the data submitted. */
  readonly unit?: ((ctx: BotUnitContext) => unknown) | undefined
  /** A concurrent unit: talks with the task's `run`, then resolves with the data submitted. */
  readonly live?: ((ctx: BotLiveContext) => unknown) | undefined
}

export const BotSchema = v.strictObject({
  onboarding: v.optional(v.function('bot.onboarding must be a function')),
  unit: v.optional(v.function('bot.unit must be a function')),
  live: v.optional(v.function('bot.live must be a function')),
})

/** The rules that tie `bot` to the rest of the task; the problem's text, or null. */
export function botProblem(
  bot: BotOptions,
  task: { readonly taskType?: string | undefined; readonly onboarding?: unknown },
): string | null {
  const concurrent = task.taskType === 'concurrent'
  if (concurrent && bot.live === undefined) return "bot.live: a 'concurrent' task's bot needs live"
  if (concurrent && bot.unit !== undefined) return "bot.unit: a 'concurrent' task's bot uses live"
  if (!concurrent && bot.unit === undefined) return 'bot.unit: the bot needs unit (what it submits)'
  if (!concurrent && bot.live !== undefined) return "bot.live: only for taskType 'concurrent'"
  if (task.onboarding !== undefined && bot.onboarding === undefined) {
    return 'bot.onboarding: the task has onboarding, so its bot needs onboarding'
  }
  if (task.onboarding === undefined && bot.onboarding !== undefined) {
    return 'bot.onboarding: the task has no onboarding'
  }
  return null
}
