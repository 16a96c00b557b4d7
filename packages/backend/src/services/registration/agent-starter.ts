import type { AgentStatus } from '@faust/protocol'
import type { AgentRecord } from '../../store/agents-repository.js'
import type { Repositories } from '../../store/repositories.js'

/** What the worker pool starts once the page has its answer. */
export interface AgentStarter {
  /**
   * The statuses a freshly reserved agent takes, in order, written with the
   * reservation (a static unit: `accepted`, `in task`); `startUnit` then only
   * pushes the last one and arms what it needs.
   */
  readonly unitStatuses: readonly AgentStatus[]
  startUnit(agent: AgentRecord): Promise<void>
  startOnboarding(onboardingId: string): Promise<void>
  stopOnboardingDeadline(onboardingId: string): void
  /**
   * The `init_task_data` of a registered agent; without it, what was stored
   * at reservation. Reads through `db`: it may run inside a group commit.
   */
  initTaskData?(agent: AgentRecord, db: Repositories): Promise<unknown>
}
