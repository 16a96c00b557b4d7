import { DEFAULT_BLOCK_QUALIFICATION, reviewUnits, type ProviderPlatform } from '@faust/backend'
import type { Store } from '@faust/backend/store'
import type {
  ConsoleActions,
  RunChange,
  RunChangeResult,
  WorkerActionResult,
} from './console-actions.js'

/** Options of {@link createStoreActions}. */
export interface StoreActionsOptions {
  readonly store: Store
  /** Applies a run change; until the "control" helper's `changeRun` is merged, none (CONSOLE_UNAVAILABLE). */
  readonly changeRun?:
    | ((input: {
        readonly taskRunId: string
        readonly change: RunChange
      }) => Promise<RunChangeResult>)
    | undefined
  /**
   * The platform a task's reviews go to (its newest published run's); null
   * (the default) changes Faust's records only, as for the mock provider.
   */
  readonly platformFor?: ((taskName: string) => Promise<ProviderPlatform | null>) | undefined
  /** The qualification a block grants. @default DEFAULT_BLOCK_QUALIFICATION */
  readonly blockQualification?: string | undefined
}

/** An error with a stable code, as the console answers it. */
class ActionError extends Error {
  readonly code: string

  constructor(code: string, message: string) {
    super(message)
    this.code = code
  }
}

/**
 * {@link ConsoleActions} over the store alone: reviews through
 * `reviewUnits` (on the task's platform when `platformFor` names one, else
 * Faust's records only, as the mock provider), blocks and qualifications as local grants, one audit entry
 * (actor `console`) per target. The CLI's operator-actions door (review
 * helper) replaces it at merge; tests use it as a real implementation.
 */
export function createStoreActions(options: StoreActionsOptions): ConsoleActions {
  const { store } = options
  const block = options.blockQualification ?? DEFAULT_BLOCK_QUALIFICATION
  return {
    review: async ({ taskName, action }) => {
      const platform = (await options.platformFor?.(taskName)) ?? null
      // reviewUnits writes one audit entry per unit itself, with the actor given here.
      return reviewUnits({ store, platform, taskName, action, actor: 'console' })
    },
    blockWorker: async ({ workerId, reason }) =>
      grantAudited(store, { workerId, name: block, value: 1, action: 'worker.block', reason }),
    unblockWorker: async ({ workerId }) => {
      await requireWorker(store, workerId)
      const revoked = await store.qualifications.revoke({ name: block, workerId })
      const result: WorkerActionResult = {
        result: revoked ? 'done' : 'already_done',
        platform: 'none',
      }
      await store.audit.record({
        actor: 'console',
        action: 'worker.unblock',
        target: workerId,
        detail: { qualification: block },
        outcome: result.result,
      })
      return result
    },
    qualifyWorker: async ({ workerId, qualification, value }) =>
      grantAudited(store, { workerId, name: qualification, value, action: 'worker.qualify' }),
    changeRun: async (input) => {
      if (options.changeRun === undefined)
        throw new ActionError('CONSOLE_UNAVAILABLE', 'run changes are not available in this build')
      return options.changeRun(input)
    },
  }
}

async function requireWorker(store: Store, workerId: string): Promise<void> {
  if ((await store.workers.get(workerId)) === null)
    throw new ActionError('WORKER_NOT_FOUND', `no worker ${workerId}`)
}

async function grantAudited(
  store: Store,
  grant: {
    readonly workerId: string
    readonly name: string
    readonly value: number
    readonly action: string
    readonly reason?: string | undefined
  },
): Promise<WorkerActionResult> {
  await requireWorker(store, grant.workerId)
  const before = await store.qualifications.getGrant({ name: grant.name, workerId: grant.workerId })
  const same = before?.value === grant.value
  if (!same)
    await store.qualifications.grant({
      name: grant.name,
      workerId: grant.workerId,
      value: grant.value,
    })
  const result: WorkerActionResult = { result: same ? 'already_done' : 'done', platform: 'none' }
  await store.audit.record({
    actor: 'console',
    action: grant.action,
    target: grant.workerId,
    detail: { qualification: grant.name, value: grant.value, reason: grant.reason },
    outcome: result.result,
  })
  return result
}
