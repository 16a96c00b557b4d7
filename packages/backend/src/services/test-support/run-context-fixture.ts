// What the services' unit tests share: a RunContext over a real (in-memory)
// Store with a fake clock, recorders that tests can wait on instead of
// sleeping, and a run created the way runTask creates one.
import { AgentStatus, type ProviderData } from '@faust/protocol'
import { FakeClock, within } from '@faust/testing'
import { defineTask, type TaskDefinition, type TaskOptions } from '../../definition/define-task.js'
import type { CrowdProvider } from '../../providers/crowd-provider.js'
import { mockProvider } from '../../providers/mock-provider.js'
import type { AgentRecord } from '../../store/agents-repository.js'
import type { AssignmentWithUnits } from '../../store/assignments-repository.js'
import type { Store } from '../../store/store.js'
import type { BackendLogger } from '../../util/logger.js'
import { LiveRunSettings } from '../context/live-run-settings.js'
import type { RunContext } from '../context/run-context.js'

/** Real time a wait may take before the test fails (a safety net, never a pause). */
const WAIT_LIMIT_MS = 2000

/**
 * A list of what happened, in order, that a test can wait on: `waitFor`
 * resolves as soon as an entry matches (at once if one already does).
 */
export class Recorder<TEntry> {
  readonly entries: TEntry[] = []
  readonly #waiters: { match: (entry: TEntry) => boolean; resolve: (entry: TEntry) => void }[] = []

  record(entry: TEntry): void {
    this.entries.push(entry)
    for (const waiter of [...this.#waiters]) {
      if (!waiter.match(entry)) continue
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1)
      waiter.resolve(entry)
    }
  }

  waitFor(match: (entry: TEntry) => boolean, what: string): Promise<TEntry> {
    const found = this.entries.find(match)
    if (found !== undefined) return Promise.resolve(found)
    return within(
      new Promise<TEntry>((resolve) => this.#waiters.push({ match, resolve })),
      WAIT_LIMIT_MS,
      what,
    )
  }
}

/** One line a {@link RecordingBackendLogger} kept. */
export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error'
  readonly details: object
  readonly message: string
}

/** A backend logger that keeps every line, at every level. */
export class RecordingBackendLogger extends Recorder<LogLine> implements BackendLogger {
  debug(details: object, message: string): void {
    this.record({ level: 'debug', details, message })
  }
  info(details: object, message: string): void {
    this.record({ level: 'info', details, message })
  }
  warn(details: object, message: string): void {
    this.record({ level: 'warn', details, message })
  }
  error(details: object, message: string): void {
    this.record({ level: 'error', details, message })
  }

  /** The messages logged at `level`. */
  messages(level: LogLine['level']): string[] {
    return this.entries.filter((line) => line.level === level).map((line) => line.message)
  }
}

/** A status pushed to a page through `RunContext.pushStatus`. */
export interface PushedStatus {
  readonly subjectId: string
  readonly status: AgentStatus
}

/** The statuses pushed so far, and a way to wait for one. */
export class StatusRecorder extends Recorder<PushedStatus> {
  /** The statuses pushed for `subjectId`, in order. */
  of(subjectId: string): AgentStatus[] {
    return this.entries.filter((entry) => entry.subjectId === subjectId).map((e) => e.status)
  }

  /** Resolves once `status` has been pushed for `subjectId`. */
  pushed(subjectId: string, status: AgentStatus): Promise<PushedStatus> {
    return this.waitFor(
      (entry) => entry.subjectId === subjectId && entry.status === status,
      `status '${status}' pushed for ${subjectId}`,
    )
  }
}

/** A task with a unit test's defaults: two items, a `page` nobody serves. */
export function testTask(options: Partial<TaskOptions> = {}): TaskDefinition {
  return defineTask({ name: 't', page: 'dist', data: [{ item: 0 }, { item: 1 }], ...options })
}

/** A run of `task` as runTask creates it: one assignment per data item. */
export interface TestRun {
  readonly runId: string
  readonly assignments: readonly AssignmentWithUnits[]
  /** Every unit id, in creation order. */
  readonly unitIds: readonly string[]
}

/** Creates the run (units `created`); `launch` (the default) offers every unit. */
export async function createTestRun(
  store: Store,
  task: TaskDefinition,
  options: { readonly launch?: boolean; readonly provider?: CrowdProvider } = {},
): Promise<TestRun> {
  if (typeof task.data === 'string') throw new TypeError('a unit test task lists its data')
  const created = await store.taskRuns.create({
    task: { name: task.name, taskType: task.taskType },
    providerType: (options.provider ?? mockProvider).type,
    config: {},
    assignments: task.data.map((item) => ({
      sharedData: item,
      units: Array.from({ length: task.unitsPerAssignment }, () => ({ pay: task.pay })),
    })),
  })
  if (!created.ok) throw new Error('expected a run')
  const { assignments } = created.value
  const unitIds = assignments.flatMap((assignment) => assignment.units.map((unit) => unit.id))
  if (options.launch !== false) await store.units.launch(unitIds)
  return { runId: created.value.run.id, assignments, unitIds }
}

/** A RunContext and everything a test inspects about it. */
export interface TestRunContext {
  readonly ctx: RunContext
  readonly clock: FakeClock
  readonly statuses: StatusRecorder
  readonly logger: RecordingBackendLogger
  readonly run: TestRun
}

/** A hand-made RunContext over `store` for a new run of `task`. */
export async function makeRunContext(
  store: Store,
  task: TaskDefinition,
  options: { readonly launch?: boolean; readonly provider?: CrowdProvider } = {},
): Promise<TestRunContext> {
  const run = await createTestRun(store, task, options)
  const clock = new FakeClock()
  const statuses = new StatusRecorder()
  const logger = new RecordingBackendLogger()
  const ctx: RunContext = {
    task,
    settings: LiveRunSettings.of(task),
    taskRunId: run.runId,
    store,
    provider: options.provider ?? mockProvider,
    clock,
    logger,
    runDir: store.runDirectory(run.runId),
    pushStatus: (subjectId, status) => {
      statuses.record({ subjectId, status })
    },
  }
  return { ctx, clock, statuses, logger, run }
}

/** What the mock provider's page sends for `worker` opening a link to `assignment`. */
export function providerData(worker: string, registrationId = `a-${worker}`): ProviderData {
  return { worker_name: worker, agent_registration_id: registrationId }
}

/** Reserves `unitId` for mock worker `workerName` as registration would, in `statuses`. */
export async function reserveFor(
  store: Store,
  unitId: string,
  input: { readonly workerName: string; readonly statuses?: readonly AgentStatus[] },
): Promise<AgentRecord> {
  const worker = await store.workers.findOrCreate({
    providerType: mockProvider.type,
    workerName: `${input.workerName}_sandbox`,
  })
  const unit = await store.units.get(unitId)
  const assignment = unit === null ? null : await store.assignments.get(unit.assignmentId)
  const reserved = await store.agents.reserveUnit({
    unitIds: [unitId],
    workerId: worker.id,
    registrationId: `${unitId}-${input.workerName}`,
    initData: assignment?.sharedData,
    statuses: input.statuses ?? [AgentStatus.ACCEPTED, AgentStatus.IN_TASK],
  })
  if (!reserved.ok) throw new Error(`unit ${unitId} could not be reserved`)
  return reserved.value.agent
}
