import { AgentEventsRepository } from './agent-events-repository.js'
import { AgentsRepository } from './agents-repository.js'
import { AuditRepository } from './audit-repository.js'
import { AssignmentsRepository } from './assignments-repository.js'
import { LiveUpdatesRepository } from './live-updates-repository.js'
import { LogsRepository } from './logs-repository.js'
import { OnboardingAgentsRepository } from './onboarding-agents-repository.js'
import { QualificationsRepository } from './qualifications-repository.js'
import { RemoteCallsRepository } from './remote-calls-repository.js'
import { ProviderRecordsRepository } from './provider-records-repository.js'
import type { RepositoryContext } from './repository-context.js'
import { ResultsRepository } from './results-repository.js'
import { SubmissionsRepository } from './submissions-repository.js'
import { TaskRunsRepository } from './task-runs-repository.js'
import { TasksRepository } from './tasks-repository.js'
import { UnitsRepository } from './units-repository.js'
import { WorkersRepository } from './workers-repository.js'

/** Every repository, bound to one connection or transaction. */
export interface Repositories {
  readonly tasks: TasksRepository
  readonly taskRuns: TaskRunsRepository
  readonly assignments: AssignmentsRepository
  readonly units: UnitsRepository
  readonly workers: WorkersRepository
  readonly agents: AgentsRepository
  readonly onboardingAgents: OnboardingAgentsRepository
  readonly qualifications: QualificationsRepository
  readonly submissions: SubmissionsRepository
  readonly logs: LogsRepository
  readonly liveUpdates: LiveUpdatesRepository
  readonly results: ResultsRepository
  readonly remoteCalls: RemoteCallsRepository
  readonly providerRecords: ProviderRecordsRepository
  readonly audit: AuditRepository
  readonly agentEvents: AgentEventsRepository
}

/** Builds every repository over `ctx`. */
export function createRepositories(ctx: RepositoryContext): Repositories {
  return {
    tasks: new TasksRepository(ctx),
    taskRuns: new TaskRunsRepository(ctx),
    assignments: new AssignmentsRepository(ctx),
    units: new UnitsRepository(ctx),
    workers: new WorkersRepository(ctx),
    agents: new AgentsRepository(ctx),
    onboardingAgents: new OnboardingAgentsRepository(ctx),
    qualifications: new QualificationsRepository(ctx),
    submissions: new SubmissionsRepository(ctx),
    logs: new LogsRepository(ctx),
    liveUpdates: new LiveUpdatesRepository(ctx),
    results: new ResultsRepository(ctx),
    remoteCalls: new RemoteCallsRepository(ctx),
    providerRecords: new ProviderRecordsRepository(ctx),
    audit: new AuditRepository(ctx),
    agentEvents: new AgentEventsRepository(ctx),
  }
}
