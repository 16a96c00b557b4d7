import { openDatabase, type GrantRecord, type Store } from '@faust/backend/store'
import { openExistingDatabase } from '../data-dir.js'
import { CREATE_HINT } from './create-option.js'
import { describeWorker } from './list-grants.js'
import { findOrCreateWorker, requireWorker, type WorkerQuery } from './resolve-worker.js'

/** A grant or revocation of one qualification for one worker. */
export interface WorkerGrantChange {
  readonly dataDir: string
  readonly worker: WorkerQuery
  readonly qualification: string
}

/** A grant: the value, and whether a worker never seen may be created. */
export interface WorkerGrant extends WorkerGrantChange {
  readonly value: number
  readonly create: boolean
}

/**
 * Grants the qualification with `value`. With `create`, the worker (and the
 * data folder) is created when missing, so workers can be qualified before
 * they register; without it nothing is created and an unknown worker fails.
 */
export async function grantQualification(change: WorkerGrant): Promise<GrantRecord> {
  const store = change.create
    ? await openDatabase({ dataDir: change.dataDir })
    : await openForKnownWorker(change)
  try {
    const worker = change.create
      ? await findOrCreateWorker(store, change.worker)
      : await requireWorker(store, change.worker, CREATE_HINT)
    return await store.qualifications.grant({
      name: change.qualification,
      workerId: worker.id,
      value: change.value,
    })
  } finally {
    await store.close()
  }
}

/** Revokes the qualification; says whether the worker had it, naming the worker as stored. */
export async function revokeQualification(change: WorkerGrantChange): Promise<{
  readonly worker: string
  readonly revoked: boolean
  readonly stored: { readonly workerName: string; readonly providerType: string }
}> {
  const store = await openExistingDatabase(change.dataDir)
  try {
    const worker = await requireWorker(store, change.worker)
    const revoked = await store.qualifications.revoke({
      name: change.qualification,
      workerId: worker.id,
    })
    return { worker: describeWorker(worker), revoked, stored: worker }
  } finally {
    await store.close()
  }
}

/** The existing database, or the error an unknown worker gets when there is none. */
async function openForKnownWorker(change: WorkerGrantChange): Promise<Store> {
  try {
    return await openExistingDatabase(change.dataDir)
  } catch (error) {
    throw new Error(
      `no worker '${change.worker.name}': ${(error as Error).message}; or ${CREATE_HINT}`,
      { cause: error },
    )
  }
}
