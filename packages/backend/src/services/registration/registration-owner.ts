import type { BackendLogger } from '../../util/logger.js'
import type { Repositories } from '../../store/repositories.js'
import type { WorkerIdentity } from '../../store/workers-repository.js'

/**
 * Whether the worker registering is the one a registration id was bound to.
 * The id alone is no proof: for the mock provider it is
 * `<assignment>-<worker>`, both visible in a task link, so anyone who saw a
 * link could ask for that registration under their own name and be handed
 * the other worker's agent (and submit for it). Only a reload by the same
 * worker gets the agent back; anyone else is refused and logged with both
 * names. Reads one row, and only on a reload (a registration id seen before).
 */
export async function isRegistrationOwner(
  { db, log }: { readonly db: Repositories; readonly log: BackendLogger },
  registration: { readonly registrationId: string; readonly ownerWorkerId: string },
  identity: WorkerIdentity,
): Promise<boolean> {
  const owner = await db.workers.get(registration.ownerWorkerId)
  if (owner?.workerName === identity.workerName && owner.providerType === identity.providerType) {
    return true
  }
  log.warn(
    {
      registrationId: registration.registrationId,
      owner: owner?.workerName ?? null,
      claimant: identity.workerName,
    },
    `registration ${registration.registrationId} of worker '${owner?.workerName ?? '?'}' refused to worker '${identity.workerName}'`,
  )
  return false
}
