import { resolve } from 'node:path'
import {
  AgentStatus,
  FINAL_AGENT_STATUSES,
  isAgentStatus,
  systemClock,
  type Clock,
} from '@faust/protocol'
import { silentLogger, type BackendLogger } from '../util/logger.js'
import { parseSubjectId } from '../store/agent-ref.js'
import type { Store } from '../store/store.js'
import { IoHandler } from '../link/io-handler.js'
import { RouterChannel } from '../link/router-channel.js'
import type { CrowdProvider } from '../providers/crowd-provider.js'
import { mockProvider } from '../providers/mock-provider.js'
import { refused, type RegistrationResult } from '../link/registration-answer.js'
import { WorkerPool } from '../services/registration/worker-pool.js'
import type { TaskDefinition } from '../definition/define-task.js'
import { loadTaskData } from '../definition/load-task-data.js'
import { createRunner } from '../services/runners/create-runner.js'
import { setAgentStatus, setOnboardingStatus } from '../services/context/agent-statuses.js'
import { Launcher, type RunProgress } from './launcher.js'
import type { RunContext } from '../services/context/run-context.js'
import { withPreviousRequests } from '../services/procedures/remote-procedure-init-data.js'
import { RemoteProcedureServer } from '../services/procedures/remote-procedure-server.js'
import { localUploadFetcher, remoteUploadFetcher } from '../services/context/upload-fetcher.js'

/** Progress is recounted at most this often (see scheduleRefresh); a display needs no more. */
const REFRESH_WINDOW_MS = 100

/** Where the run's router is and how to reach it. */
export interface RouterAccess {
  /** `ws://host:port/`. */
  readonly socketUrl: string
  /** `http://host:port`, for downloads when the router is remote. */
  readonly httpUrl: string
  readonly token: string
  /** The router's upload folder when it runs on this machine (files are copied, not downloaded). */
  readonly uploadDir?: string | undefined
}

/** Options of {@link runTask}. */
export interface RunTaskOptions {
  readonly task: TaskDefinition
  /** Relative `data` paths resolve against this folder (the task file's). */
  readonly baseDir: string
  readonly store: Store
  readonly router: RouterAccess
  /** @default mockProvider */
  readonly provider?: CrowdProvider | undefined
  /** @default systemClock */
  readonly clock?: Clock | undefined
  readonly logger?: BackendLogger | undefined
  /** @default 4000 */
  readonly statusPollMs?: number | undefined
  /** How long to wait for the first connection to the router. @default 30000 */
  readonly connectTimeoutMs?: number | undefined
}

/** A run in progress. */
export interface TaskRunHandle extends AsyncDisposable {
  readonly runId: string
  /** The units in creation order (one worker link each). */
  readonly units: readonly {
    readonly id: string
    readonly assignmentId: string
    readonly unitIndex: number
  }[]
  progress(): Promise<RunProgress>
  /** Called after every change of a unit or an onboarding; returns an unsubscribe function. */
  onProgress(listener: (progress: RunProgress) => void): () => void
  /**
   * Sizes of the run's per-agent state held in memory: each returns to a
   * small bound once the agents' units end, whatever the run's length.
   */
  stats(): RunMemoryStats
  /** Resolves when every unit is final (completed or expired). */
  readonly done: Promise<RunProgress>
  /**
   * Ends the run now: no new registrations, packets being handled finish, the
   * agents still working become `expired` (and are told), every unfinished
   * unit is expired, the run is marked ended.
   */
  stop(): Promise<RunProgress>
}

/** What {@link TaskRunHandle.stats} reports. */
export interface RunMemoryStats {
  /** Agents still working whose last pushed status is kept (re-announced on reconnect). */
  readonly pushedStatuses: number
  /** Ended agents whose final status is remembered (at most 10,000). */
  readonly endedStatuses: number
  /** Agents whose caller (worker, unit) is cached for remote calls. */
  readonly remoteCallers: number
  /** Agents with a remote call in flight. */
  readonly agentsWithRemoteCalls: number
  /** Onboarding verdicts kept for repeated submits (at most 10,000). */
  readonly onboardingVerdicts: number
}

/**
 * Creates a task run from the task's data (one assignment per item), connects
 * to the router, and serves workers until every unit is final or `stop()`.
 *
 * @example
 * const run = await runTask({ task, baseDir, store, router: { socketUrl, httpUrl, token } })
 * await run.done
 */
export async function runTask(options: RunTaskOptions): Promise<TaskRunHandle> {
  const { task, store } = options
  const clock = options.clock ?? systemClock
  const logger = options.logger ?? silentLogger
  const provider = options.provider ?? mockProvider
  const data =
    typeof task.data === 'string'
      ? await loadTaskData(resolve(options.baseDir, task.data))
      : task.data
  if (data.length === 0) throw new TypeError(`task '${task.name}' has no data: nothing to run`)
  const created = await store.taskRuns.create({
    task: { name: task.name, taskType: task.taskType },
    providerType: provider.type,
    config: describeTask(task),
    assignments: data.map((item) => ({
      sharedData: item,
      units: Array.from({ length: task.unitsPerAssignment }, () => ({ pay: task.pay })),
    })),
  })
  if (!created.ok) {
    throw new TypeError(
      `task '${task.name}' already exists with type '${created.error.existing.taskType}'`,
    )
  }
  const runId = created.value.run.id
  const units = created.value.assignments.flatMap((assignment) =>
    assignment.units.map((unit) => ({
      id: unit.id,
      assignmentId: unit.assignmentId,
      unitIndex: unit.unitIndex,
    })),
  )

  const channel = new RouterChannel({
    url: options.router.socketUrl,
    token: options.router.token,
    clock,
    logger,
  })
  const ctx: RunContext = {
    task,
    taskRunId: runId,
    store,
    provider,
    clock,
    logger,
    runDir: store.runDirectory(runId),
    // `io` is created below; nothing pushes before the channel is open.
    pushStatus: (subjectId, status) => {
      io.pushStatus(subjectId, status)
      // The agent's unit ended: what was kept in memory for it goes.
      if (FINAL_AGENT_STATUSES.has(status)) rpc.release(subjectId)
    },
  }
  const listeners = new Set<(progress: RunProgress) => void>()
  let finish: (progress: RunProgress) => void = () => undefined
  const done = new Promise<RunProgress>((resolveDone) => (finish = resolveDone))
  let stopped = false

  const launcher = new Launcher(
    ctx,
    units.map((unit) => unit.id),
  )
  const refresh = async (): Promise<RunProgress> => {
    const progress = await launcher.fill(runner.activeOnboarding)
    for (const listener of listeners) listener(progress)
    if (progress.done) finish(progress)
    return progress
  }
  // Refreshes never interleave, and the changes of a short window are folded
  // into one: a refresh counts every unit of the run (a scan of a big run),
  // so doing one per registration cost more than the registration itself.
  // The window is I/O batching on the real event loop, not run time, so it
  // is not on the injected clock (a fake clock would stall progress).
  let refreshing: Promise<unknown> = Promise.resolve()
  let refreshPending = false
  const scheduleRefresh = (): void => {
    if (refreshPending) return
    refreshPending = true
    refreshing = refreshing
      .then(() => new Promise((resolveWindow) => setTimeout(resolveWindow, REFRESH_WINDOW_MS)))
      .then(() => {
        refreshPending = false
        return refresh()
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'progress refresh failed')
      })
  }

  const fetcher =
    options.router.uploadDir !== undefined
      ? localUploadFetcher(options.router.uploadDir)
      : remoteUploadFetcher({ routerUrl: options.router.httpUrl, token: options.router.token })
  // The runner for the task's type (static or concurrent); `io` is created
  // below, and nothing sends live data before the channel is open.
  const runner = createRunner(ctx, {
    fetcher,
    events: { onUnitChanged: scheduleRefresh },
    live: {
      sendLiveUpdate: (subjectId, data) => {
        io.sendLiveUpdate(subjectId, data)
      },
    },
  })
  const pool = new WorkerPool(ctx, runner)
  // ---- remote procedures (see remote-procedure-server.ts)
  const rpc = new RemoteProcedureServer({
    ctx,
    send: (subjectId, update) => {
      io.sendLiveUpdate(subjectId, update)
    },
  })
  const hasProcedures = Object.keys(task.remoteProcedures).length > 0
  const initData =
    task.taskType === 'remote-procedure'
      ? (result: RegistrationResult) => withPreviousRequests(store, result)
      : (result: RegistrationResult) => Promise.resolve(result)
  // ---- end remote procedures

  const io: IoHandler = new IoHandler(
    {
      channel,
      clock,
      logger,
      channelId: `faust_channel_${runId}`,
      statusPollMs: options.statusPollMs,
    },
    {
      register: (providerData, requestId) =>
        stopped
          ? Promise.resolve({
              details: refused({ requestId, workerId: null, reason: 'NO_AVAILABLE_UNITS' }),
            })
          : pool.register(providerData, requestId).then(initData),
      // Like a registration: once stopping, a passed onboarding must not
      // reserve a unit (and arm its deadline) while the units are expired.
      submitOnboarding: (subjectId, answers, requestId) =>
        stopped
          ? Promise.resolve({
              details: refused({ requestId, workerId: null, reason: 'NO_AVAILABLE_UNITS' }),
            })
          : pool.submitOnboarding(subjectId, answers, requestId).then(initData),
      submitUnit: (agentId, submitted) => runner.submit(agentId, submitted),
      submitMetadata: (subjectId, metadata) => runner.storeMetadata(subjectId, metadata),
      logError: (subjectId, errorData) =>
        store.logs.addErrorLog(
          subjectId === null || subjectId === 'mephisto' ? null : parseSubjectId(subjectId),
          errorData,
        ),
      liveUpdate: (subjectId, update) => {
        if (hasProcedures && RemoteProcedureServer.isCall(update))
          return rpc.receive(subjectId, update)
        if (runner.liveUpdate !== undefined) return runner.liveUpdate(subjectId, update)
        logger.debug({ subjectId }, 'live update without a procedure to serve it ignored')
        return undefined
      },
      reconcile: async (statuses, pushed) => {
        for (const [subjectId, routerStatus] of Object.entries(statuses)) {
          if (!isAgentStatus(routerStatus) || pushed.get(subjectId) === routerStatus) continue
          await reconcileOne(subjectId, routerStatus)
        }
      },
    },
  )

  /** docs/protocol.md §5.4: the router may only impose `disconnect`; for anything else ours is pushed again. */
  const reconcileOne = async (subjectId: string, routerStatus: AgentStatus): Promise<void> => {
    const ref = parseSubjectId(subjectId)
    const record =
      ref.kind === 'agent'
        ? await store.agents.get(ref.id)
        : await store.onboardingAgents.get(ref.id)
    if (record?.taskRunId !== runId || record.status === routerStatus) return
    if (routerStatus === AgentStatus.COMPLETED) return
    if (routerStatus === AgentStatus.DISCONNECT) {
      if (FINAL_AGENT_STATUSES.has(record.status)) return
      if (ref.kind === 'agent') await runner.disconnected(ref.id)
      else if (record.status === AgentStatus.ONBOARDING) {
        runner.stopOnboardingDeadline(ref.id)
        await setOnboardingStatus(ctx, ref.id, AgentStatus.DISCONNECT)
      }
      return
    }
    // Onboarding verdicts are never shown; the reference reports them as waiting.
    const verdict = record.status === AgentStatus.APPROVED || record.status === AgentStatus.REJECTED
    io?.pushStatus(
      subjectId,
      ref.kind === 'onboarding' && verdict ? AgentStatus.WAITING : record.status,
    )
  }

  const connectTimeoutMs = options.connectTimeoutMs ?? 30_000
  let timer: ReturnType<Clock['setTimeout']> | undefined
  try {
    await Promise.race([
      channel.start(),
      new Promise((_, reject) => {
        timer = clock.setTimeout(() => {
          reject(
            new Error(
              `could not reach the router at ${options.router.socketUrl} within ${String(connectTimeoutMs)} ms`,
            ),
          )
        }, connectTimeoutMs)
      }),
    ])
  } catch (error) {
    io.close()
    await channel.close()
    // The run was created before connecting: end it, or it would look live
    // (units `created`, never ended) to everything reading the store.
    await store.units.expire(units.map((unit) => unit.id))
    await store.taskRuns.end(runId)
    throw error
  } finally {
    if (timer !== undefined) clock.clearTimeout(timer)
  }
  scheduleRefresh()
  await refreshing

  const finishRun = async (): Promise<RunProgress> => {
    stopped = true
    await io.drain()
    await rpc.close()
    await runner.close()
    for (const agent of await store.agents.listForRun(runId)) {
      if (!FINAL_AGENT_STATUSES.has(agent.status))
        await setAgentStatus(ctx, agent.id, AgentStatus.EXPIRED)
    }
    await runner.expireOnboarding()
    await store.units.expire(units.map((unit) => unit.id))
    await store.taskRuns.end(runId)
    io.close()
    await channel.close()
    // Packets that arrived while stopping (kept as late submissions) are
    // written before stop() resolves and the caller closes the store.
    await io.drain()
    await refreshing
    const progress = await launcher.fill(0)
    finish(progress)
    return progress
  }
  // One shutdown, however many callers (Ctrl-C while the run completes).
  let stopping: Promise<RunProgress> | undefined
  const stop = (): Promise<RunProgress> => (stopping ??= finishRun())
  void done.then(stop)

  return {
    runId,
    units,
    progress: () => launcher.fill(runner.activeOnboarding),
    stats: () => {
      const pushed = io.stats()
      const calls = rpc.stats()
      return {
        pushedStatuses: pushed.pushedLive,
        endedStatuses: pushed.pushedEnded,
        remoteCallers: calls.callers,
        agentsWithRemoteCalls: calls.agentsWithCalls,
        onboardingVerdicts: pool.stats().onboardingVerdicts,
      }
    },
    onProgress(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    done,
    stop,
    [Symbol.asyncDispose]: async () => {
      await stop()
    },
  }
}

/** What is stored as the run's configuration (functions are named, not kept). */
function describeTask(task: TaskDefinition): Record<string, unknown> {
  return {
    name: task.name,
    taskType: task.taskType,
    page: task.page,
    data: typeof task.data === 'string' ? task.data : `${String(task.data.length)} items`,
    unitsPerAssignment: task.unitsPerAssignment,
    pay: task.pay,
    ...(task.live === undefined
      ? {}
      : {
          waitingRoomSeconds: task.live.waitingRoomSeconds,
          submissionTimeoutSeconds: task.live.submissionTimeoutSeconds,
        }),
    qualifications: task.qualifications,
    maximumUnitsPerWorker: task.maximumUnitsPerWorker,
    allowedConcurrent: task.allowedConcurrent,
    maxConcurrentUnits: task.maxConcurrentUnits,
    assignmentDurationSeconds: task.assignmentDurationSeconds,
    blockQualification: task.blockQualification,
    onboardingQualification: task.onboarding?.qualificationName,
    // ---- screening and gold units (quality-control.ts)
    screening: task.screening && {
      passedQualification: task.screening.passedQualification,
      blockQualification: task.screening.blockQualification,
      maxUnits: task.screening.maxUnits,
      validatesFirstUnit: task.screening.data === false,
    },
    golds: task.golds && {
      qualificationBase: task.golds.qualificationBase,
      minGolds: task.golds.minGolds,
      maxIncorrect: task.golds.maxIncorrect,
      maxUnits: task.golds.maxUnits,
    },
    // ---- end screening and gold units
    workerCanDoUnit: task.workerCanDoUnit !== undefined,
    remoteProcedures: Object.keys(task.remoteProcedures),
    remoteProcedureTimeoutSeconds: task.remoteProcedureTimeoutSeconds,
  }
}
