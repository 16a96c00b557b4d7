import { mockProvider } from '@faust/backend'
import { type Store, type WorkerRecord } from '@faust/backend/store'

/** The provider a worker is created under when none is named. */
export const DEFAULT_PROVIDER_TYPE = mockProvider.type

/** A worker as typed on the command line, and optionally its provider. */
export interface WorkerQuery {
  readonly name: string
  /** Only workers of this provider; any provider when absent. */
  readonly providerType?: string | undefined
}

/**
 * The stored worker a name means: the exact stored name first, then the
 * mock provider's stored form of it (a page's `worker_id=w1` is stored as
 * `w1_sandbox`). `null` when no worker matches; an error when the name is
 * ambiguous across providers.
 */
export async function findWorker(store: Store, query: WorkerQuery): Promise<WorkerRecord | null> {
  const workers = await store.workers.list(query.providerType)
  const exact = workers.filter((worker) => worker.workerName === query.name)
  if (exact.length > 1) {
    const providers = exact.map((worker) => worker.providerType).join(', ')
    throw new Error(
      `worker '${query.name}' exists for several providers (${providers}): pick one with --provider`,
    )
  }
  if (exact[0] !== undefined) return exact[0]
  const sandboxName = mockWorkerName(query.name)
  return (
    workers.find(
      (worker) => worker.providerType === mockProvider.type && worker.workerName === sandboxName,
    ) ?? null
  )
}

/**
 * The worker a name means, created if none matches so that workers can be
 * qualified (or blocked) before they ever register. A new mock worker gets
 * the stored form a page would give it (`w1` → `w1_sandbox`).
 */
export async function findOrCreateWorker(store: Store, query: WorkerQuery): Promise<WorkerRecord> {
  const existing = await findWorker(store, query)
  if (existing !== null) return existing
  const providerType = query.providerType ?? DEFAULT_PROVIDER_TYPE
  const alreadyStoredForm = query.name.endsWith(mockWorkerName(''))
  const workerName =
    providerType === mockProvider.type && !alreadyStoredForm
      ? mockWorkerName(query.name)
      : query.name
  return store.workers.findOrCreate({ providerType, workerName })
}

/** The worker that must exist (revoking, listing): an error naming what was looked for otherwise. */
export async function requireWorker(
  store: Store,
  query: WorkerQuery,
  hint?: string,
): Promise<WorkerRecord> {
  const worker = await findWorker(store, query)
  if (worker !== null) return worker
  const where = query.providerType === undefined ? '' : ` for provider '${query.providerType}'`
  const advice = hint === undefined ? '' : `: ${hint}`
  throw new Error(
    `no worker '${query.name}'${where} (nor '${mockWorkerName(query.name)}') in ${store.dataDir}${advice}`,
  )
}

/** How the mock provider stores a page's `worker_id`. */
function mockWorkerName(name: string): string {
  return mockProvider.workerName({ worker_name: name, agent_registration_id: '' })
}
