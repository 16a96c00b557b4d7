import { openDatabase, type GrantRecord } from '@faust/backend'
import { openExistingDatabase } from '../data-dir.js'
import { describeWorker } from './list-grants.js'
import { findOrCreateWorker, requireWorker, type WorkerQuery } from './resolve-worker.js'

/** A grant or revocation of one qualification for one worker. */
export interface WorkerGrantChange {
  readonly dataDir: string
  readonly worker: WorkerQuery
  readonly qualification: string
}

/**
 * Grants the qualification with `value`; the worker (and the data folder) is
 * created when missing, so workers can be qualified before they register.
 */
export async function grantQualification(
  change: WorkerGrantChange & { readonly value: number },
): Promise<GrantRecord> {
  const store = await openDatabase({ dataDir: change.dataDir })
  try {
    const worker = await findOrCreateWorker(store, change.worker)
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
export async function revokeQualification(
  change: WorkerGrantChange,
): Promise<{ readonly worker: string; readonly revoked: boolean }> {
  const store = await openExistingDatabase(change.dataDir)
  try {
    const worker = await requireWorker(store, change.worker)
    const revoked = await store.qualifications.revoke({
      name: change.qualification,
      workerId: worker.id,
    })
    return { worker: describeWorker(worker), revoked }
  } finally {
    await store.close()
  }
}
