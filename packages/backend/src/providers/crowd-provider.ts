import type { ProviderData } from '@faust/protocol'
import type { ProviderIdentity } from './provider-platform.js'

/** A unit as a provider sees it when work is done or paid. */
export interface ProviderUnit {
  readonly unitId: string
  readonly agentId: string
  readonly workerName: string
  readonly pay: number
  /** What the page sent as registration data (ids the provider needs, e.g. its assignment id). */
  readonly providerData: ProviderData
}

/**
 * A crowd platform (MTurk, Prolific, an in-house pool, or the mock provider
 * for local work). Faust calls it at these points; every method but the
 * first two may do nothing for platforms without the concept.
 */
export interface CrowdProvider {
  /** Stored as the workers' `provider_type`, e.g. `mock`. */
  readonly type: string
  /**
   * The provider's `wrap_crowd_source.js`, served beside the task page. It
   * defines the globals the page calls: `getWorkerName()`, `getAssignmentId()`,
   * `getAgentRegistration()` and `handleSubmitToProvider(data)`.
   */
  readonly wrapCrowdSourceScript: string
  /** The name a worker is stored under (the mock provider appends `_sandbox`, as Mephisto does). */
  workerName(providerData: ProviderData): string
  /**
   * A paid platform's ids in the registration (ProviderPlatform.identify):
   * with it, a registration without them is refused, and the attempt is
   * stored with the agent. Absent for the mock provider.
   */
  identify?(providerData: ProviderData): ProviderIdentity | null
  /** Grants or revokes a qualification on the platform too (e.g. so a blocked worker no longer sees the task). */
  syncQualification?(change: {
    workerName: string
    qualificationName: string
    value: number | null
  }): Promise<void>
  /** The worker finished the unit (e.g. approve the platform's assignment). */
  markDone?(unit: ProviderUnit): Promise<void>
  /** Pays for the unit. */
  pay?(unit: ProviderUnit): Promise<void>
}
