import {
  createOperatorActions,
  type OperatorActions,
  type WorkerActionReport,
} from '@faust/backend'
import { openDatabase, type Store, type WorkerRecord } from '@faust/backend/store'
import type { CommandIo } from '../command-io.js'
import { openExistingDatabase } from '../data-dir.js'
import { CREATE_HINT } from '../qualify/create-option.js'
import { findOrCreateWorker, requireWorker, type WorkerQuery } from '../qualify/resolve-worker.js'

/** The worker a `faust block` or `faust qualify` command acts on. */
export interface WorkerTarget {
  readonly dataDir: string
  readonly worker: WorkerQuery
  /**
   * `grant`: a grant (block, qualify grant), which may create the worker
   * with `create` and otherwise names `--create` when the worker is unknown;
   * `revoke`: the worker must exist.
   */
  readonly mode: { readonly kind: 'grant'; readonly create: boolean } | { readonly kind: 'revoke' }
  /** The qualification a block grants (`--qualification`). */
  readonly blockQualification?: string | undefined
}

/** What a worker command did, with the worker it found. */
export type WorkerCommandReport = WorkerActionReport & { readonly worker: WorkerRecord }

/**
 * Opens the data folder, finds the worker (creates it for a grant with
 * `create`, so workers can be qualified or blocked before they register;
 * without it nothing is created and an unknown worker fails), and runs one
 * operator action on it with actor `cli`: audited, and mirrored on the
 * worker's platform.
 */
export async function actOnWorker(
  target: WorkerTarget,
  act: (actions: OperatorActions, worker: WorkerRecord) => Promise<WorkerActionReport>,
): Promise<WorkerCommandReport> {
  const { mode } = target
  const create = mode.kind === 'grant' && mode.create
  const store = create
    ? await openDatabase({ dataDir: target.dataDir })
    : mode.kind === 'grant'
      ? await openForKnownWorker(target)
      : await openExistingDatabase(target.dataDir)
  try {
    const worker = await findTarget(store, target, create)
    const actions = createOperatorActions({
      store,
      env: process.env,
      actor: 'cli',
      blockQualification: target.blockQualification,
    })
    return { ...(await act(actions, worker)), worker }
  } finally {
    await store.close()
  }
}

function findTarget(store: Store, target: WorkerTarget, create: boolean): Promise<WorkerRecord> {
  if (create) return findOrCreateWorker(store, target.worker)
  return requireWorker(store, target.worker, target.mode.kind === 'grant' ? CREATE_HINT : undefined)
}

/**
 * Writes the platform's side of a worker action under the local change's
 * line: `also blocked on prolific` on stdout, or on stderr why the platform
 * was not changed (no credentials here: the local change stands). A platform
 * failure of another kind is the command's error, the local change kept.
 */
export function reportPlatform(io: CommandIo, report: WorkerActionReport): void {
  if (report.result === 'failed') {
    throw new Error(report.platformNote ?? report.error ?? 'the worker action failed')
  }
  if (report.platformNote === undefined) return
  if (report.platform === 'mirrored') io.stdout.write(`${report.platformNote}\n`)
  else io.stderr.write(`${report.platformNote}\n`)
}

/** The existing database, or the error an unknown worker gets when there is none. */
async function openForKnownWorker(target: WorkerTarget): Promise<Store> {
  try {
    return await openExistingDatabase(target.dataDir)
  } catch (error) {
    throw new Error(
      `no worker '${target.worker.name}': ${(error as Error).message}; or ${CREATE_HINT}`,
      { cause: error },
    )
  }
}
