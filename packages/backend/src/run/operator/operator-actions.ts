// The one door through which an operator changes anything: `faust review`,
// `faust block` and `faust qualify` go through it with actor `cli`, and the
// console (@faust/console) with actor `console`, so both share one audited
// code path (docs/console.md, "The audit log"). It lives in the backend, which
// both depend on, so that the console never has to import the CLI.
import { DEFAULT_BLOCK_QUALIFICATION } from '../../definition/define-task.js'
import { platformFromEnvironment } from '../../providers/platform-from-environment.js'
import type { AuditActor } from '../../store/audit-repository.js'
import type { Store } from '../../store/store.js'
import type { WorkerRecord } from '../../store/workers-repository.js'
import { ProviderError, RunError } from '../../util/backend-error.js'
import { reviewUnits, type ReviewAction, type ReviewOutcome } from '../review-units.js'
import type { RunChange, RunChangeResult } from '../run-change.js'
import {
  mirrorOnPlatform,
  type PlatformChange,
  type PlatformFactory,
} from './mirror-on-platform.js'
import { findPublishedRun } from './published-run.js'

/**
 * Applies a run change with the actor given (`changeRun({ store, taskRunId,
 * change, actor })` on a data folder, or a live run's `handle.change(change,
 * actor)`), bound by whoever creates the actions.
 */
export type RunChanger = (input: {
  readonly taskRunId: string
  readonly change: RunChange
  readonly actor: AuditActor
}) => Promise<RunChangeResult>

/** What a block, unblock or qualification did (the console answers these fields). */
export interface WorkerActionResult {
  readonly result: 'done' | 'already_done' | 'failed'
  /** A stable code when `failed`. */
  readonly error?: string
  /** Whether the worker's platform was told too (`none`: the mock provider's worker). */
  readonly platform?: 'mirrored' | 'not_mirrored' | 'none'
}

/** A {@link WorkerActionResult} with what the CLI prints. */
export interface WorkerActionReport extends WorkerActionResult {
  /** The worker as stored, or null when no worker has the id. */
  readonly worker: WorkerRecord | null
  /** Whether Faust's own records changed (false: already so, or the worker is unknown). */
  readonly changed: boolean
  /** The platform's side in words: `also blocked on prolific`, or why it was not changed. */
  readonly platformNote?: string
}

/** Review outcomes and the currency of the platform they were sent to (null: the mock). */
export interface ReviewReport {
  readonly outcomes: readonly ReviewOutcome[]
  readonly currency: string | null
}

/**
 * Everything an operator can change, each action audited: what the
 * console's `ConsoleActions` asks for (review, block, unblock, qualify,
 * change a run), and what only the CLI needs besides.
 */
export interface OperatorActions {
  review(input: {
    readonly taskName: string
    readonly action: ReviewAction
  }): Promise<readonly ReviewOutcome[]>
  /** {@link OperatorActions.review} with the platform's currency, for printing bonuses. */
  reviewWithCurrency(input: {
    readonly taskName: string
    readonly action: ReviewAction
  }): Promise<ReviewReport>
  blockWorker(input: {
    readonly workerId: string
    readonly reason?: string | undefined
  }): Promise<WorkerActionReport>
  unblockWorker(input: { readonly workerId: string }): Promise<WorkerActionReport>
  qualifyWorker(input: {
    readonly workerId: string
    readonly qualification: string
    readonly value: number
  }): Promise<WorkerActionReport>
  /** Takes a qualification away (`faust qualify revoke`): `worker.disqualify`. */
  disqualifyWorker(input: {
    readonly workerId: string
    readonly qualification: string
  }): Promise<WorkerActionReport>
  /** Fails with RunError RUN_CHANGE_UNAVAILABLE when no `changeRun` was given. */
  changeRun(input: {
    readonly taskRunId: string
    readonly change: RunChange
  }): Promise<RunChangeResult>
}

/** What {@link createOperatorActions} needs. */
export interface OperatorActionsOptions {
  readonly store: Store
  /** Platform credentials (PROLIFIC_API_TOKEN, the AWS chain…), as for `faust run`. */
  readonly env: NodeJS.ProcessEnv
  /** Who acts: `cli` for the CLI's commands, `console` for the console. */
  readonly actor: AuditActor
  /** Run changes; without it {@link OperatorActions.changeRun} fails with RUN_CHANGE_UNAVAILABLE. */
  readonly changeRun?: RunChanger | undefined
  /** The qualification a block grants. @default DEFAULT_BLOCK_QUALIFICATION ('blocked') */
  readonly blockQualification?: string | undefined
  /** Builds platform clients; tests pass a double. @default platformFromEnvironment */
  readonly platformFor?: PlatformFactory | undefined
}

/**
 * The operator's actions on one store, each audited with `actor`: one entry
 * per unit reviewed (by reviewUnits) and one per worker action, saying
 * whether the worker's platform was changed too.
 */
export function createOperatorActions(options: OperatorActionsOptions): OperatorActions {
  const blockQualification = options.blockQualification ?? DEFAULT_BLOCK_QUALIFICATION
  const workers = workerActions(options)
  const reviewWithCurrency: OperatorActions['reviewWithCurrency'] = async (input) => {
    const { store, env, actor } = options
    const run = await findPublishedRun(store, input.taskName)
    const platform =
      run === null
        ? null
        : (options.platformFor ?? platformFromEnvironment)(run.type, env, { sandbox: run.sandbox })
    const outcomes = await reviewUnits({ store, platform, actor, ...input })
    return { outcomes, currency: platform?.currency ?? null }
  }
  return {
    reviewWithCurrency,
    review: async (input) => (await reviewWithCurrency(input)).outcomes,
    blockWorker: ({ workerId, reason }) =>
      workers.grant({
        action: 'worker.block',
        workerId,
        qualification: blockQualification,
        value: 1,
        change: { kind: 'block', reason },
        reason,
      }),
    unblockWorker: ({ workerId }) =>
      workers.revoke({
        action: 'worker.unblock',
        workerId,
        qualification: blockQualification,
        change: { kind: 'unblock' },
      }),
    qualifyWorker: ({ workerId, qualification, value }) =>
      workers.grant({
        action: 'worker.qualify',
        workerId,
        qualification,
        value,
        change: { kind: 'qualification', name: qualification, value },
      }),
    disqualifyWorker: ({ workerId, qualification }) =>
      workers.revoke({
        action: 'worker.disqualify',
        workerId,
        qualification,
        change: { kind: 'qualification', name: qualification, value: null },
      }),
    changeRun: ({ taskRunId, change }) => {
      if (options.changeRun === undefined) {
        return Promise.reject(
          new RunError(
            'RUN_CHANGE_UNAVAILABLE',
            'run changes are not available here (no changeRun was given)',
          ),
        )
      }
      return options.changeRun({ taskRunId, change, actor: options.actor })
    },
  }
}

/** One worker action: which audit action, on whom, which qualification, and what the platform is told. */
interface WorkerChange {
  readonly action: 'worker.block' | 'worker.unblock' | 'worker.qualify' | 'worker.disqualify'
  readonly workerId: string
  readonly qualification: string
  readonly change: PlatformChange
  readonly reason?: string | undefined
}

function workerActions(options: OperatorActionsOptions): {
  grant(input: WorkerChange & { readonly value: number }): Promise<WorkerActionReport>
  revoke(input: WorkerChange): Promise<WorkerActionReport>
} {
  const { store } = options
  /** Applies `local` (true: it changed something), mirrors on the platform, audits. */
  const act = async (
    input: WorkerChange,
    detail: Record<string, unknown>,
    local: (worker: WorkerRecord) => Promise<boolean>,
  ): Promise<WorkerActionReport> => {
    const worker = await store.workers.get(input.workerId)
    if (worker === null) {
      const report = {
        worker,
        changed: false,
        result: 'failed',
        error: 'WORKER_NOT_FOUND',
      } as const
      await audit(options, input, { ...detail, report })
      return report
    }
    const changed = await local(worker)
    const mirrored = await mirrorChange(options, worker, input.change)
    const report: WorkerActionReport = {
      worker,
      changed,
      ...mirrored,
      result: mirrored.error !== undefined ? 'failed' : changed ? 'done' : 'already_done',
    }
    await audit(options, input, { workerName: worker.workerName, ...detail, report })
    return report
  }
  return {
    grant: (input) =>
      act(input, { value: input.value }, async (worker) => {
        const before = await store.qualifications.getGrant({
          name: input.qualification,
          workerId: worker.id,
        })
        await store.qualifications.grant({
          name: input.qualification,
          workerId: worker.id,
          value: input.value,
        })
        return before?.value !== input.value
      }),
    revoke: (input) =>
      act(input, {}, (worker) =>
        store.qualifications.revoke({ name: input.qualification, workerId: worker.id }),
      ),
  }
}

/**
 * The platform's side of a worker action. Without credentials the local
 * change stands and the next run publishes with it (`not_mirrored`, not a
 * failure); any other platform error fails the action, its local part kept.
 */
async function mirrorChange(
  options: OperatorActionsOptions,
  worker: WorkerRecord,
  change: PlatformChange,
): Promise<Pick<WorkerActionReport, 'platform' | 'platformNote' | 'error'>> {
  try {
    const line = await mirrorOnPlatform(worker, change, options)
    return line === null ? { platform: 'none' } : { platform: 'mirrored', platformNote: line }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    if (error instanceof ProviderError && error.code === 'PROVIDER_AUTH_MISSING') {
      return {
        platform: 'not_mirrored',
        platformNote: `not changed on ${worker.providerType}: ${message}`,
      }
    }
    const code = error instanceof ProviderError ? error.code : 'PLATFORM_FAILED'
    return { platform: 'not_mirrored', error: code, platformNote: message }
  }
}

/** The worker action's one audit entry; `report` is what came of it, the rest goes in `detail`. */
async function audit(
  options: OperatorActionsOptions,
  input: WorkerChange,
  { report, ...detail }: Record<string, unknown> & { readonly report: WorkerActionReport },
): Promise<void> {
  await options.store.audit.record({
    actor: options.actor,
    action: input.action,
    target: input.workerId,
    detail: {
      ...detail,
      providerType: report.worker?.providerType ?? null,
      qualification: input.qualification,
      ...(input.reason === undefined ? {} : { reason: input.reason }),
      platform: report.platform ?? 'none',
      ...(report.platformNote === undefined ? {} : { platformNote: report.platformNote }),
    },
    outcome: report.result,
    error: report.error ?? null,
  })
}
