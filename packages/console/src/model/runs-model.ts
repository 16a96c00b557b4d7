import { leaseIsFresh } from '@faust/backend'
import type { Clock } from '@faust/protocol'
import type { Store } from '@faust/backend/store'
import type { RunSettings } from '../console-actions.js'
import { ACTIVE_AGENT_STATUSES } from './agent-statuses.js'
import { readRunControl } from './run-settings.js'

/** Units of a run by state, as `faust run` shows them. */
export interface RunProgressView {
  readonly total: number
  readonly waiting: number
  readonly launched: number
  readonly inProgress: number
  readonly completed: number
  readonly expired: number
  readonly activeWorkers: number
}

/** One row of `GET /api/runs`. */
export interface RunView {
  readonly runId: string
  readonly taskName: string
  readonly taskType: string
  readonly providerType: string
  readonly createdAt: number
  readonly endedAt: number | null
  readonly live: boolean
  readonly launching: 'open' | 'paused'
  readonly settings: RunSettings
  readonly progress: RunProgressView
}

/** Which runs a process serves live (the console's own `faust run`, or any run's fresh lease). */
export interface LiveRuns {
  isLive(runId: string): boolean | Promise<boolean>
}

/**
 * Runs served by some process, as their leases say (docs/console.md): a
 * `faust run` refreshes its run's lease every 2 s, so a standalone `faust
 * console` shows another process's run as live too.
 */
export function leasedLiveRuns(store: Store, clock: Clock): LiveRuns {
  return { isLive: (runId) => leaseIsFresh(store, runId, clock) }
}

/** Every run, newest first. */
export async function listRuns(store: Store, live: LiveRuns): Promise<RunView[]> {
  const runs = await store.taskRuns.listWithTaskNames()
  const tasks = await store.db.selectFrom('tasks').select(['id', 'task_type']).execute()
  const types = new Map(tasks.map((task) => [task.id, task.task_type]))
  const views = await Promise.all(
    runs.map(async (run): Promise<RunView> => {
      const control = await readRunControl(store, run.id)
      return {
        runId: run.id,
        taskName: run.taskName,
        taskType: types.get(run.taskId) ?? 'static',
        providerType: run.providerType,
        createdAt: run.createdAt,
        endedAt: run.endedAt,
        live: await live.isLive(run.id),
        launching: control.launching,
        settings: control.settings,
        progress: await runProgress(store, run.id),
      }
    }),
  )
  // listWithTaskNames is oldest first, ties in insertion order.
  return views.reverse()
}

/** The run's units by state now, and the workers on a unit or an onboarding. */
export async function runProgress(store: Store, taskRunId: string): Promise<RunProgressView> {
  const counts = await store.units.summarize(taskRunId)
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0)
  const active = await store.db
    .selectFrom('agents')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('task_run_id', '=', taskRunId)
    .where('status', 'in', ACTIVE_AGENT_STATUSES)
    .executeTakeFirstOrThrow()
  const onboarding = await store.db
    .selectFrom('onboarding_agents')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('task_run_id', '=', taskRunId)
    .where('status', 'in', ACTIVE_AGENT_STATUSES)
    .executeTakeFirstOrThrow()
  return {
    total,
    waiting: counts.created,
    launched: counts.launched,
    inProgress: counts.assigned,
    completed: counts.completed + counts.accepted + counts.rejected + counts.soft_rejected,
    expired: counts.expired,
    activeWorkers: active.count + onboarding.count,
  }
}
