import { systemClock, type Clock } from '@faust/protocol'
import type { RunSettings } from '../services/context/live-run-settings.js'
import type { AuditActor } from '../store/audit-repository.js'
import type { Store } from '../store/store.js'
import { BackendErrorCode, RunError } from '../util/backend-error.js'
import { expireRunInStore } from './end-abandoned-run.js'
import { nextSettings, parseRunChange, type RunChange, type RunChangeResult } from './run-change.js'
import {
  agentsOn,
  auditChange,
  expireStoredAgent,
  loadStoredRun,
  runEnded,
  settingsDetail,
  storeAddedItems,
  unitsToExpire,
  type StoredRun,
} from './run-change-store.js'
import { LEASE_TTL_MS } from './run-control.js'

/** What {@link changeRun} needs. */
export interface ChangeRunInput {
  readonly store: Store
  readonly taskRunId: string
  readonly change: RunChange
  readonly actor: AuditActor
  /** @default systemClock */
  readonly clock?: Clock | undefined
  /** How long to wait for a live run in another process to apply the change. @default 10000 */
  readonly waitMs?: number | undefined
}

/** How often the asker looks whether its command was applied. */
const COMMAND_CHECK_MS = 100

/**
 * Changes a run from any process (docs/console.md, "Changing a live run").
 * A run served by a live process (its lease is fresh) gets the change
 * through the command table and applies it at once; the call resolves with
 * the live run's result, or throws RUN_NOT_RESPONDING after `waitMs`. A run
 * no process serves is changed in the store, and a resumed run starts with
 * it. Throws RUN_NOT_FOUND, RUN_ENDED or RUN_CHANGE_INVALID (nothing applied).
 */
export async function changeRun(input: ChangeRunInput): Promise<RunChangeResult> {
  const { store, taskRunId } = input
  const clock = input.clock ?? systemClock
  const change = parseRunChange(input.change)
  const stored = await loadStoredRun(store, taskRunId)
  if (stored.run.endedAt !== null) throw runEnded(taskRunId)
  // Checked here too, so that a change no run could take is refused at once.
  nextSettings(stored.settings, stored.facts, change)
  if (await leaseIsFresh(store, taskRunId, clock)) return viaLiveRun(input, change, clock)
  return applyStored({ store, stored, actor: input.actor }, change)
}

/** The run's settings now (RUN_NOT_FOUND if there is no such run). */
export async function readRunSettings(store: Store, taskRunId: string): Promise<RunSettings> {
  return (await loadStoredRun(store, taskRunId)).settings
}

/** Whether a live process serves the run: its lease was refreshed within {@link LEASE_TTL_MS}. */
export async function leaseIsFresh(
  store: Store,
  taskRunId: string,
  clock: Clock,
): Promise<boolean> {
  const lease = await store.runControl.getLease(taskRunId)
  return lease !== null && clock.now() - lease.refreshedAt < LEASE_TTL_MS
}

async function viaLiveRun(
  input: ChangeRunInput,
  change: RunChange,
  clock: Clock,
): Promise<RunChangeResult> {
  const { store, taskRunId } = input
  const command = await store.runControl.addCommand({ taskRunId, actor: input.actor, change })
  const waitMs = input.waitMs ?? 10_000
  const started = clock.now()
  for (;;) {
    const now = await store.runControl.getCommand(command.id)
    if (now?.status === 'applied') return now.result as RunChangeResult
    if (now?.status === 'failed') throw commandError(now.errorCode, now.error)
    if (clock.now() - started >= waitMs) {
      // Withdrawn, so that a run that wakes up later never applies it; if the
      // run took it meanwhile, its result stands.
      if (await store.runControl.cancelCommand(command.id)) {
        throw new RunError(
          'RUN_NOT_RESPONDING',
          `run ${taskRunId} is served by a process that did not apply the change within ${String(waitMs)} ms; nothing was changed`,
        )
      }
      continue
    }
    await new Promise<void>((resolve) => clock.setTimeout(resolve, COMMAND_CHECK_MS))
  }
}

/** The live run's error, rethrown with its code. */
function commandError(code: string | null, message: string | null): RunError {
  const known = Object.values(BackendErrorCode) as string[]
  const runCode = (
    code !== null && known.includes(code) ? code : 'RUN_CHANGE_INVALID'
  ) as RunError['code']
  return new RunError(runCode, message ?? 'the live run refused the change')
}

/**
 * A change to a run no process serves, straight in the store: settings (the
 * resumed run reads them), items added, units expired, or the run ended as
 * an abandoned run is. One transaction with its audit entry.
 */
async function applyStored(
  target: { readonly store: Store; readonly stored: StoredRun; readonly actor: AuditActor },
  change: RunChange,
): Promise<RunChangeResult> {
  const { store, stored, actor } = target
  const runId = stored.run.id
  const result = (
    detail: Record<string, unknown>,
    settings = stored.settings,
  ): RunChangeResult => ({
    applied: 'stored',
    settings,
    detail,
  })
  switch (change.kind) {
    case 'add_items': {
      const units = await store.transaction(async (tx) => {
        const ids = await storeAddedItems(
          tx,
          { taskRunId: runId, facts: stored.facts },
          change.items,
        )
        await tx.runControl.saveSettings(runId, stored.settings, change.items.length)
        await auditChange(tx, {
          actor,
          run: stored,
          change,
          detail: { items: change.items.length, units: ids.length },
        })
        return ids
      })
      return result({ items: change.items.length, units: units.length })
    }
    case 'expire_units': {
      const units = await unitsToExpire(store, runId, change.units)
      const agents = await agentsOn(store, runId, units)
      for (const agentId of agents) await expireStoredAgent(store, agentId)
      const expired = await store.units.expire(units.map((unit) => unit.id))
      const detail = { requested: change.units, expired, agentsExpired: agents.length }
      await auditChange(store, { actor, run: stored, change, detail })
      return result(detail)
    }
    case 'end': {
      const ended = await expireRunInStore(store, runId)
      await auditChange(store, { actor, run: stored, change, detail: ended })
      return result(ended)
    }
    default: {
      const next = nextSettings(stored.settings, stored.facts, change)
      const detail = settingsDetail(change, stored.settings, next)
      await store.transaction(async (tx) => {
        await tx.runControl.saveSettings(runId, next)
        await auditChange(tx, { actor, run: stored, change, detail })
      })
      return result(detail, next)
    }
  }
}
