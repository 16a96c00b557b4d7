// Shared setup for the backend integration tests: a real router on a free
// port, a real SQLite file in a temporary folder, and `runTask` sharing the
// router's fake clock. Every wait is bounded and driven by an event.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AgentStatus } from '@faust/protocol'
import {
  defineTask,
  runTask,
  type RunProgress,
  type RunTaskOptions,
  type TaskOptions,
  type TaskRunHandle,
} from '@faust/backend'
import { openDatabase, type Store } from '@faust/backend/store'
import type { RouterOptions } from '@faust/router'
import { within } from '../deferred.js'
import type { TestAgent } from '../test-backend.js'
import { startTestRouter, type TestRouter } from '../test-router.js'
import type { AnyPacket } from '../test-socket.js'
import { EventLogger } from './event-logger.js'
import { WAIT_MS } from './wait-limit.js'

/** The `data` of an `agent_details` answer. */
export interface AgentDetails {
  readonly request_id: string
  readonly agent_id: string | null
  readonly worker_id: string | null
  readonly init_task_data: unknown
  readonly failure_reason: string | null
}

/** Waits until the router pushes `status` to this page socket (the current status counts). */
export async function statusPushed(agent: TestAgent, status: AgentStatus): Promise<AnyPacket> {
  return agent.next(
    'update_status',
    (packet) => (packet.data as { status?: unknown } | undefined)?.status === status,
  )
}

/** One run of a task on the harness' router and store. */
export interface RunSession {
  readonly run: TaskRunHandle
  readonly runId: string
  /** `POST /request_agent` for `<assignment>-<worker>`; returns the answer's data. */
  register(worker: string, assignment?: string): Promise<AgentDetails>
  /** `POST /submit_task` with JSON `final_data`. */
  submit(agentId: string, finalData: unknown): Promise<{ status: number; body: unknown }>
  /** `POST /submit_onboarding`; returns the answer's data. */
  submitOnboarding(agentId: string, answers: unknown): Promise<AgentDetails>
  /** The next progress report (after this call) that satisfies `predicate`. */
  progressWhere(predicate: (progress: RunProgress) => boolean): Promise<RunProgress>
}

/** A router, a store on a temporary folder, and the runs started on them. */
export interface Harness extends AsyncDisposable {
  readonly t: TestRouter
  readonly store: Store
  readonly dataDir: string
  readonly logger: EventLogger
  /** Starts a run of the default task (`label`, two items) with `options` over it. */
  startRun(
    options?: Partial<TaskOptions>,
    runOptions?: Partial<Pick<RunTaskOptions, 'statusPollMs'>>,
  ): Promise<RunSession>
  /** Finds or creates the mock worker `<name>_sandbox` and grants it `qualification`. */
  grant(worker: string, qualification: string, value: number): Promise<string>
}

/** The default task: `label`, two items, everything else from `options`. */
export function taskOptions(options: Partial<TaskOptions> = {}): TaskOptions {
  return { name: 'label', page: 'dist', data: [{ text: 'a' }, { text: 'b' }], ...options }
}

/** Starts a router (with `routerOptions`) and opens a store in a fresh temporary folder. */
export async function openHarness(routerOptions: Partial<RouterOptions> = {}): Promise<Harness> {
  const t = await startTestRouter(routerOptions)
  const dataDir = await mkdtemp(join(tmpdir(), 'faust-backend-'))
  const store = await openDatabase({ dataDir, clock: t.clock })
  const logger = new EventLogger()
  const runs: TaskRunHandle[] = []

  const startRun: Harness['startRun'] = async (options = {}, runOptions = {}) => {
    const run = await runTask({
      task: defineTask(taskOptions(options)),
      baseDir: dataDir,
      store,
      clock: t.clock,
      logger,
      statusPollMs: runOptions.statusPollMs,
      router: {
        socketUrl: t.router.socketUrl,
        httpUrl: t.router.url,
        token: t.token,
        uploadDir: t.uploadDir,
      },
    })
    runs.push(run)
    return runSession(t, run)
  }

  return {
    t,
    store,
    dataDir,
    logger,
    startRun,
    async grant(worker, qualification, value) {
      const record = await store.workers.findOrCreate({
        providerType: 'mock',
        workerName: `${worker}_sandbox`,
      })
      await store.qualifications.grant({ name: qualification, workerId: record.id, value })
      return record.id
    },
    async [Symbol.asyncDispose]() {
      for (const run of runs) await run.stop()
      await store.close()
      await t[Symbol.asyncDispose]()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

/** What a test does with a started run: registers, submits, waits for progress, through the router's HTTP. */
function runSession(t: TestRouter, run: TaskRunHandle): RunSession {
  return {
    run,
    runId: run.runId,
    async register(worker, assignment = 'asg') {
      const answer = await t.post('/request_agent', {
        provider_data: {
          worker_name: worker,
          agent_registration_id: `${assignment}-${worker}`,
          assignment_id: assignment,
          provider_type: 'mock',
        },
        client_timestamp: t.clock.now() / 1000,
      })
      if (answer.status !== 200) {
        throw new Error(
          `request_agent answered ${String(answer.status)}: ${JSON.stringify(answer.body)}`,
        )
      }
      return (answer.body as { data: AgentDetails }).data
    },
    submit: (agentId, finalData) =>
      t.post('/submit_task', { USED_AGENT_ID: agentId, final_data: finalData }),
    async submitOnboarding(agentId, answers) {
      const answer = await t.post('/submit_onboarding', {
        provider_data: { USED_AGENT_ID: agentId, onboarding_data: answers },
      })
      if (answer.status !== 200) {
        throw new Error(
          `submit_onboarding answered ${String(answer.status)}: ${JSON.stringify(answer.body)}`,
        )
      }
      return (answer.body as { data: AgentDetails }).data
    },
    progressWhere: (predicate) =>
      within(
        new Promise<RunProgress>((resolve) => {
          const off = run.onProgress((progress) => {
            if (predicate(progress)) {
              off()
              resolve(progress)
            }
          })
        }),
        WAIT_MS,
        'run progress',
      ),
  }
}
