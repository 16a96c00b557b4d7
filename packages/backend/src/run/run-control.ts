import { randomUUID } from 'node:crypto'
import type { Clock, TimerHandle } from '@faust/protocol'
import type { RunContext } from '../services/context/run-context.js'
import type { AuditActor } from '../store/audit-repository.js'
import type { RunCommandRecord } from '../store/run-control-repository.js'
import { RunError } from '../util/backend-error.js'
import type { RunUnit } from './run-options.js'
import {
  nextSettings,
  parseRunChange,
  type RunChange,
  type RunChangeResult,
  type RunTaskFacts,
} from './run-change.js'
import {
  agentsOn,
  auditChange,
  runEnded,
  settingsDetail,
  storeAddedItems,
  unitsToExpire,
} from './run-change-store.js'

/** How often a live run looks for commands from other processes. */
export const COMMAND_POLL_MS = 500
/** How often a live run refreshes its lease. */
export const LEASE_REFRESH_MS = 2_000
/** A lease older than this is stale: no process serves the run, changes go to the store. */
export const LEASE_TTL_MS = 10_000

/** What a live run lends its {@link RunControl}. */
export interface LiveRunParts {
  readonly ctx: RunContext
  readonly facts: RunTaskFacts
  /** Units of added items, for the launcher (and the run's unit list). */
  addUnits(units: readonly RunUnit[]): void
  /**
   * Launches what may be launched now, resolving once it is launched (so a
   * worker who registers right after the change finds the unit), and
   * refreshes the progress.
   */
  refill(): Promise<void>
  /** Frees an agent on a unit being expired: deadline disarmed, page told `expired`. */
  expireAgent(agentId: string): Promise<void>
  /** The run's stop(); resolves once it ended. */
  end(): Promise<unknown>
  readonly stopped: () => boolean
}

/**
 * Applies live run changes inside the process that serves the run: from
 * {@link TaskRunHandle.change} directly, and from other processes through
 * the command table, polled every {@link COMMAND_POLL_MS} on the run's
 * clock while the run's lease says it serves the run. One change at a time.
 *
 * Idempotence: a command is marked applied in the same transaction as its
 * settings or its new items; expiring units and ending are harmless to
 * repeat, so a crash between them and the mark re-applies nothing wrong.
 */
export class RunControl {
  readonly #parts: LiveRunParts
  readonly #holder = randomUUID()
  #timer: TimerHandle | undefined
  #lastLease = Number.NEGATIVE_INFINITY
  #queue: Promise<unknown> = Promise.resolve()
  #polling: Promise<void> = Promise.resolve()
  #closed = false
  /** An `end` being applied: audited and marked once the run has ended. */
  #ending: { actor: AuditActor; commandId: number | null; change: RunChange } | null = null

  constructor(parts: LiveRunParts) {
    this.#parts = parts
  }

  get #clock(): Clock {
    return this.#parts.ctx.clock
  }

  /** Takes the lease and starts polling for commands. */
  async start(): Promise<void> {
    await this.#refreshLease()
    this.#schedule()
  }

  /** Applies `change` now; throws RUN_CHANGE_INVALID or RUN_ENDED (audited as failed). */
  change(
    change: RunChange,
    actor: AuditActor,
    commandId: number | null = null,
  ): Promise<RunChangeResult> {
    const result = this.#queue.then(() => this.#applyOrFail(change, actor, commandId))
    this.#queue = result.catch(() => undefined)
    return result
  }

  /** The poll in flight, for tests. */
  settled(): Promise<void> {
    return this.#polling
  }

  /**
   * The run stops serving: polling stops and the lease goes (changes go to
   * the store from now on). Called by stop() once the run is marked ended,
   * where an `end` asked through here is audited and its command marked.
   */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer)
    const { store, taskRunId } = this.#parts.ctx
    await store.runControl.releaseLease(taskRunId, this.#holder)
    const ending = this.#ending
    if (ending === null) return
    const progress = await store.units.summarize(taskRunId)
    await store.transaction(async (tx) => {
      await auditChange(tx, {
        actor: ending.actor,
        run: { taskName: this.#parts.facts.taskName, taskRunId },
        change: ending.change,
        detail: { units: progress },
      })
      if (ending.commandId !== null)
        await tx.runControl.finishCommand(ending.commandId, {
          status: 'applied',
          result: this.#result({ units: progress }),
        })
    })
  }

  #schedule(): void {
    if (this.#closed) return
    this.#timer = this.#clock.setTimeout(() => {
      this.#polling = this.#poll().finally(() => {
        this.#schedule()
      })
    }, COMMAND_POLL_MS)
  }

  async #poll(): Promise<void> {
    const { store, taskRunId, logger } = this.#parts.ctx
    try {
      if (this.#clock.now() - this.#lastLease >= LEASE_REFRESH_MS) await this.#refreshLease()
      for (const command of await store.runControl.pendingCommands(taskRunId)) {
        if (this.#closed) return
        await this.#applyCommand(command)
      }
    } catch (error) {
      // A store error (a full disk) must not end the run: the next poll tries again.
      logger.warn({ err: error, taskRunId }, 'run control: polling for changes failed')
    }
  }

  async #refreshLease(): Promise<void> {
    if (this.#closed) return
    const { store, taskRunId } = this.#parts.ctx
    const now = this.#clock.now()
    await store.runControl.refreshLease(taskRunId, this.#holder, now)
    this.#lastLease = now
  }

  async #applyCommand(command: RunCommandRecord): Promise<void> {
    let change: RunChange
    try {
      change = parseRunChange(command.change)
    } catch (error) {
      await this.#markFailed(command.id, error)
      return
    }
    // Failures are marked by #applyOrFail; the asker rethrows them.
    await this.change(change, command.actor, command.id).catch(() => undefined)
  }

  async #markFailed(commandId: number | null, error: unknown): Promise<void> {
    if (commandId === null) return
    await this.#parts.ctx.store.runControl.finishCommand(commandId, {
      status: 'failed',
      errorCode: error instanceof RunError ? error.code : 'RUN_CHANGE_INVALID',
      error: error instanceof Error ? error.message : String(error),
    })
  }

  async #applyOrFail(
    change: RunChange,
    actor: AuditActor,
    commandId: number | null,
  ): Promise<RunChangeResult> {
    const { ctx, facts } = this.#parts
    try {
      if (this.#parts.stopped() || this.#ending !== null) throw runEnded(ctx.taskRunId)
      return await this.#apply(parseRunChange(change), actor, commandId)
    } catch (error) {
      // Once closed the run no longer writes: its store may be closing.
      if (this.#closed) throw error
      await auditChange(ctx.store, {
        actor,
        run: { taskName: facts.taskName, taskRunId: ctx.taskRunId },
        change,
        detail: {},
        outcome: 'failed',
        error: error instanceof Error ? error.message : String(error),
      })
      await this.#markFailed(commandId, error)
      throw error
    }
  }

  async #apply(
    change: RunChange,
    actor: AuditActor,
    commandId: number | null,
  ): Promise<RunChangeResult> {
    switch (change.kind) {
      case 'add_items':
        return this.#addItems(change, actor, commandId)
      case 'expire_units':
        return this.#expireUnits(change, actor, commandId)
      case 'end':
        this.#ending = { actor, commandId, change }
        await this.#parts.end()
        return this.#result({ ended: true })
      default:
        return this.#setSettings(change, actor, commandId)
    }
  }

  /** Pause, resume or a limit: stored with its audit entry and its command's mark, then read at once. */
  async #setSettings(
    change: RunChange,
    actor: AuditActor,
    commandId: number | null,
  ): Promise<RunChangeResult> {
    const { ctx, facts } = this.#parts
    const before = ctx.settings.current
    const next = nextSettings(before, facts, change)
    const detail = settingsDetail(change, before, next)
    const result = this.#result(detail, next)
    await ctx.store.transaction(async (tx) => {
      await tx.runControl.saveSettings(ctx.taskRunId, next)
      await auditChange(tx, {
        actor,
        run: { taskName: facts.taskName, taskRunId: ctx.taskRunId },
        change,
        detail,
        outcome: sameSettings(before, next) ? 'already_done' : 'done',
      })
      if (commandId !== null)
        await tx.runControl.finishCommand(commandId, { status: 'applied', result })
    })
    ctx.settings.replace(next)
    // Resumed or a raised limit: the launcher fills at once.
    await this.#parts.refill()
    return result
  }

  /** New assignments and units in one transaction with the audit entry and the command's mark; launched per the limit. */
  async #addItems(
    change: Extract<RunChange, { kind: 'add_items' }>,
    actor: AuditActor,
    commandId: number | null,
  ): Promise<RunChangeResult> {
    const { ctx, facts } = this.#parts
    const units = await ctx.store.transaction(async (tx) => {
      const ids = await storeAddedItems(tx, { taskRunId: ctx.taskRunId, facts }, change.items)
      const detail = { items: change.items.length, units: ids.length }
      await tx.runControl.saveSettings(ctx.taskRunId, ctx.settings.current, change.items.length)
      await auditChange(tx, {
        actor,
        run: { taskName: facts.taskName, taskRunId: ctx.taskRunId },
        change,
        detail,
      })
      if (commandId !== null)
        await tx.runControl.finishCommand(commandId, {
          status: 'applied',
          result: this.#result(detail),
        })
      return ids
    })
    this.#parts.addUnits(units)
    await this.#parts.refill()
    return this.#result({ items: change.items.length, units: units.length })
  }

  /** Expiring is harmless to repeat: a crash before the mark re-applies it to the same end. */
  async #expireUnits(
    change: Extract<RunChange, { kind: 'expire_units' }>,
    actor: AuditActor,
    commandId: number | null,
  ): Promise<RunChangeResult> {
    const { ctx, facts } = this.#parts
    const units = await unitsToExpire(ctx.store, ctx.taskRunId, change.units)
    const agents = await agentsOn(ctx.store, ctx.taskRunId, units)
    for (const agentId of agents) await this.#parts.expireAgent(agentId)
    const expired = await ctx.store.units.expire(units.map((unit) => unit.id))
    const detail = { requested: change.units, expired, agentsExpired: agents.length }
    const result = this.#result(detail)
    await ctx.store.transaction(async (tx) => {
      await auditChange(tx, {
        actor,
        run: { taskName: facts.taskName, taskRunId: ctx.taskRunId },
        change,
        detail,
        outcome: expired === 0 ? 'already_done' : 'done',
      })
      if (commandId !== null)
        await tx.runControl.finishCommand(commandId, { status: 'applied', result })
    })
    await this.#parts.refill()
    return result
  }

  #result(
    detail: Record<string, unknown>,
    settings = this.#parts.ctx.settings.current,
  ): RunChangeResult {
    return { applied: 'live', settings, detail }
  }
}

function sameSettings(a: RunChangeResult['settings'], b: RunChangeResult['settings']): boolean {
  return (Object.keys(a) as (keyof typeof a)[]).every((key) => a[key] === b[key])
}
