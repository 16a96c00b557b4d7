import type { StoredOutcome } from '../../link/stored-outcome.js'
import type { AgentRecord } from '../../store/agents-repository.js'
import type { Repositories } from '../../store/repositories.js'
import type { AgentStarter } from '../registration/agent-starter.js'

/**
 * What a run needs from the part that runs its units; one implementation per
 * task type (StaticRunner, ConcurrentRunner), chosen by {@link createRunner}.
 */
export interface TaskRunner extends AgentStarter {
  /** Workers in onboarding right now. */
  readonly activeOnboarding: number
  /**
   * `submit_unit` from the router, with the client's idempotency key if any:
   * resolves once stored (or refused); throws if the store failed.
   */
  submit(agentId: string, data: unknown, submissionKey?: string | null): Promise<StoredOutcome>
  /** `submit_metadata` from the router; resolves and throws as {@link submit}. */
  storeMetadata(subjectId: string, metadata: unknown): Promise<StoredOutcome>
  /** The router reported the agent gone. */
  disconnected(agentId: string): Promise<void>
  /** `mephisto_bound_live_update` (static tasks have none). */
  liveUpdate?(subjectId: string, data: Record<string, unknown>): Promise<void>
  /** The `init_task_data` of a registered agent (default: what was stored at reservation). */
  initTaskData?(agent: AgentRecord, db: Repositories): Promise<unknown>
  /**
   * An agent of a resumed run that still held its unit when the process
   * serving it died: kept (deadline re-armed) or released, by the runner's
   * rule. Returns whether it was kept.
   */
  resumeUnit(agent: AgentRecord): Promise<boolean>
  /** Expires the onboarding agents still taking their onboarding (the run is ending). */
  expireOnboarding(): Promise<void>
  /** Stops every timer; ends what is running (the run is ending). */
  close(): void | Promise<void>
}
