import type { GrantRecord, Store } from '@faust/backend/store'
import { formatTable } from '../table.js'
import { requireWorker, type WorkerQuery } from './resolve-worker.js'

/** Which grants {@link listGrants} returns; both filters apply together. */
export interface GrantsQuery {
  readonly worker?: WorkerQuery | undefined
  readonly qualification?: string | undefined
}

/** Grants by qualification, then worker: all of them, one worker's, or one qualification's. */
export async function listGrants(store: Store, query: GrantsQuery): Promise<GrantRecord[]> {
  const { qualifications } = store
  let grants: GrantRecord[]
  if (query.worker !== undefined) {
    const worker = await requireWorker(store, query.worker)
    grants = await qualifications.listForWorker(worker.id)
  } else if (query.qualification !== undefined) {
    grants = await qualifications.listForQualification(query.qualification)
  } else {
    grants = []
    for (const qualification of await qualifications.list()) {
      grants.push(...(await qualifications.listForQualification(qualification.name)))
    }
  }
  return grants.filter(
    (grant) => query.qualification === undefined || grant.qualificationName === query.qualification,
  )
}

/** Grants as a table: worker, provider, qualification, value, when granted (UTC). */
export function formatGrants(grants: readonly GrantRecord[]): string {
  return formatTable(
    ['WORKER', 'PROVIDER', 'QUALIFICATION', 'VALUE', 'GRANTED'],
    grants.map((grant) => [
      grant.workerName,
      grant.providerType,
      grant.qualificationName,
      String(grant.value),
      new Date(grant.grantedAt).toISOString(),
    ]),
  )
}

/** `w1_sandbox (mock)`: how a worker is named in messages. */
export function describeWorker(worker: { workerName: string; providerType: string }): string {
  return `${worker.workerName} (${worker.providerType})`
}
