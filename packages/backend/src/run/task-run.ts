import {
  AgentStatus,
  FINAL_AGENT_STATUSES,
  faustAliveData,
  isAgentStatus,
  systemClock,
  type Clock,
} from '@faust/protocol'
import { IoHandler, type PacketHandlers } from '../link/io-handler.js'
import { refused, type RegistrationResult } from '../link/registration-answer.js'
import type { StoredOutcome } from '../link/stored-outcome.js'
import { RouterChannel } from '../link/router-channel.js'
import type { CrowdProvider } from '../providers/crowd-provider.js'
import { crowdProviderFor } from '../providers/crowd-provider-for.js'
import { mockProvider } from '../providers/mock-provider.js'
import { setAgentStatus } from '../services/context/agent-statuses.js'
import { LiveRunSettings, taskRunSettings } from '../services/context/live-run-settings.js'
import type { RunContext } from '../services/context/run-context.js'
import {
  localUploadFetcher,
  remoteUploadFetcher,
  type UploadFetcher,
} from '../services/context/upload-fetcher.js'
import { QualityControl } from '../services/quality/quality-control.js'
import { WorkerPool } from '../services/registration/worker-pool.js'
import { createRunner } from '../services/runners/create-runner.js'
import type { TaskRunner } from '../services/runners/task-runner.js'
import { parseSubjectId } from '../store/agent-ref.js'
import { RunError } from '../util/backend-error.js'
import { silentLogger } from '../util/logger.js'
import { describeTask } from './describe-task.js'
import { remoteProceduresFeature } from './features/remote-procedures-feature.js'
import { Launcher, type RunProgress } from './launcher.js'
import { liveAgentsOf } from './live-agents.js'
import { PlatformSession } from './platform-session.js'
import type { FreeAgent } from './reconcile-run.js'
import { reconcileStatus } from './reconcile-status.js'
import { RunFeatures, type RunFeature } from './run-feature.js'
import { factsOfTask } from './run-change.js'
import { RunControl } from './run-control.js'
import type { RunMemoryStats, RunTaskOptions, RunUnit, TaskRunHandle } from './run-options.js'
import { RunObservation } from './run-observer.js'
import { RunProgressTracker } from './run-progress.js'
import { recoverRun, type ResumeSummary } from './recover-run.js'
import { openRunRecords, type RunRecords } from './run-records.js'

/**
 * A task run, built in four stages:
 * - **create** ({@link TaskRun.create}): the task's data becomes a stored run;
 * - **wire** (the constructor): the router link, the run's context, its
 *   features, the runner and the worker pool, each handed what it uses;
 * - **connect** ({@link TaskRun.connect}): the first connection to the router,
 *   after which packets flow;
 * - **finish** ({@link TaskRun.stop}): registrations refused, packets in
 *   flight finished, every unfinished agent and unit expired, the run ended.
 */
export class TaskRun {
  readonly #records: RunRecords
  readonly #options: RunTaskOptions
  readonly #clock: Clock
  readonly #channel: RouterChannel
  readonly #io: IoHandler
  readonly #ctx: RunContext
  readonly #features: RunFeatures
  readonly #runner: TaskRunner
  readonly #pool: WorkerPool
  readonly #launcher: Launcher
  readonly #progress: RunProgressTracker
  /** The paid platform's listing, when the run has one. */
  readonly #session: PlatformSession | null
  /** Live run changes: from the handle, and from other processes through the store. */
  readonly #control: RunControl
  /** The run's units, with those of items added while it runs. */
  readonly #units: RunUnit[]
  /** The caller's observer, when it gave one. */
  readonly #observation: RunObservation | null
  #resumed: ResumeSummary | null = null
  #stopped = false
  /** Set once the run is ending (not merely suspended): registrations are refused with RUN_ENDED. */
  #ending = false
  #stopping: Promise<RunProgress> | undefined

  /**
   * The create stage: resumes the task's unfinished run (unless `newRun`) or
   * stores a new one; a resumed run's reservations are recovered by rule
   * (see recoverRun). The returned run is wired, not yet connected.
   */
  static async create(options: RunTaskOptions): Promise<TaskRun> {
    const records = await openRunRecords({
      task: options.task,
      baseDir: options.baseDir,
      store: options.store,
      providerType: providerOf(options).type,
      config: describeTask(options.task),
      newRun: options.newRun ?? false,
      logger: options.logger ?? silentLogger,
    })
    // A resumed run keeps the settings an operator changed; a new one starts with its task's.
    const stored = await options.store.runControl.getSettings(records.runId)
    const settings = new LiveRunSettings(stored?.settings ?? taskRunSettings(options.task))
    const run = new TaskRun(records, options, settings)
    if (records.resumed) run.#resumed = await recoverRun({ ctx: run.#ctx, runner: run.#runner })
    return run
  }

  /** The wire stage. */
  private constructor(records: RunRecords, options: RunTaskOptions, settings: LiveRunSettings) {
    this.#records = records
    this.#units = [...records.units]
    this.#options = options
    this.#clock = options.clock ?? systemClock
    const logger = options.logger ?? silentLogger
    this.#channel = new RouterChannel({
      url: options.router.socketUrl,
      token: options.router.token,
      clock: this.#clock,
      logger,
      // The IoHandler answers the `stored_acks` extension (docs/protocol.md §14).
      aliveData: faustAliveData(),
    })
    this.#io = new IoHandler({
      channel: this.#channel,
      clock: this.#clock,
      logger,
      channelId: `faust_channel_${records.runId}`,
      statusPollMs: options.statusPollMs,
    })
    this.#ctx = this.#context(settings)
    this.#features = new RunFeatures(
      [remoteProceduresFeature(this.#partsForFeatures())].filter(
        (feature): feature is RunFeature => feature !== null,
      ),
    )
    this.#launcher = new Launcher(
      this.#ctx,
      records.units.map((unit) => unit.id),
      records.unlaunched,
    )
    this.#progress = new RunProgressTracker(() => this.#countProgress(), logger)
    // Screening and golds: one per run, routing registrations in the pool
    // and scoring submissions in the runner.
    const quality = QualityControl.forRun(this.#ctx)
    this.#runner = createRunner(this.#ctx, {
      fetcher: this.#uploadFetcher(),
      events: { onUnitChanged: () => this.#progress.schedule() },
      live: { sendLiveUpdate: (subjectId, data) => this.#io.sendLiveUpdate(subjectId, data) },
      quality,
    })
    this.#pool = new WorkerPool(this.#ctx, this.#runner, quality)
    this.#session =
      options.platform === undefined
        ? null
        : new PlatformSession(this.#ctx, options.platform, this.#freeAgent)
    const session = this.#session
    if (session !== null)
      this.#progress.listen((progress) => session.placesChanged(progress.launched))
    this.#control = this.#runControl()
    this.#observation =
      options.observer === undefined
        ? null
        : new RunObservation(options.observer, { logger, clock: this.#clock })
    this.#io.serve(this.#packetHandlers())
  }

  /** What live run changes act through: the launcher, the runner's release, stop(). */
  #runControl(): RunControl {
    return new RunControl({
      ctx: this.#ctx,
      facts: factsOfTask(this.#options.task),
      addUnits: (units) => {
        this.#units.push(...units)
        this.#launcher.addUnits(units.map((unit) => unit.id))
      },
      refill: async () => {
        await this.#launcher.fill(this.#runner.activeOnboarding)
        this.#progress.schedule()
      },
      // As stop() expires its agents: the page is told, the unit goes with
      // the agent, and the deadline that still fires finds it final.
      expireAgent: async (agentId) => {
        await setAgentStatus(this.#ctx, agentId, AgentStatus.EXPIRED)
      },
      end: () => this.stop(),
      stopped: () => this.#stopped,
    })
  }

  /**
   * Reconciliation inside a live run frees a unit through the runner (its
   * deadline disarmed, the page told), then names why the agent left.
   */
  readonly #freeAgent: FreeAgent = async (agentId, status) => {
    const before = await this.#ctx.store.agents.get(agentId)
    if (before === null || FINAL_AGENT_STATUSES.has(before.status)) return false
    await this.#runner.disconnected(agentId)
    await setAgentStatus(this.#ctx, agentId, status)
    return true
  }

  get runId(): string {
    return this.#records.runId
  }

  /**
   * The connect stage: the first connection to the router within
   * `connectTimeoutMs`, then the first units are launched. On failure a new
   * run is ended (it was stored before connecting and would otherwise be
   * resumed, or look live, to everything reading the store) and the error is
   * thrown; a resumed run is left unfinished, so that the next attempt
   * resumes it again rather than redo its finished items.
   */
  async connect(): Promise<void> {
    this.#observation?.start({
      taskRunId: this.#records.runId,
      store: this.#options.store,
      backlog: () => ({ outbox: this.#channel.outboxSize, queued: this.#io.handling }),
      backlogEveryMs: this.#options.backlogEveryMs ?? 1000,
    })
    try {
      await this.#firstConnection()
      if (this.#session !== null) {
        const progress = await this.#launcher.fill(this.#runner.activeOnboarding)
        await this.#session.start(progress.launched)
      }
    } catch (error) {
      await this.#control.close()
      this.#observation?.stop()
      await this.#runner.close()
      this.#io.close()
      await this.#channel.close()
      if (!this.#records.resumed) {
        await this.#options.store.units.expire(this.#unitIds())
        await this.#options.store.taskRuns.end(this.#records.runId)
      }
      throw error
    }
    // Served from now on: other processes' changes come through the store.
    await this.#control.start()
    this.#progress.schedule()
    await this.#progress.settled()
    void this.#progress.done.then(() => this.stop())
  }

  /** The finish stage; one shutdown, however many callers (Ctrl-C while the run completes). */
  stop(): Promise<RunProgress> {
    return (this.#stopping ??= this.#finish())
  }

  /** Leaves the run unfinished, to be resumed (see {@link TaskRunHandle.pause}). */
  pause(): Promise<RunProgress> {
    return (this.#stopping ??= this.#suspend())
  }

  /** What callers of {@link runTask} hold. */
  handle(): TaskRunHandle {
    const units = this.#units
    return {
      runId: this.#records.runId,
      // The same array, so that units of added items appear in it.
      units,
      resumed: this.#resumed,
      settings: () => this.#ctx.settings.current,
      change: (change, actor) => this.#control.change(change, actor),
      progress: () => this.#countProgress(),
      stats: () => this.#stats(),
      onProgress: (listener) => this.#progress.listen(listener),
      done: this.#progress.done,
      stop: () => this.stop(),
      pause: () => this.pause(),
      [Symbol.asyncDispose]: async () => {
        await this.stop()
      },
    }
  }

  /** Launches what may be launched now, and counts the run's units. */
  #countProgress(): Promise<RunProgress> {
    return this.#launcher.fill(this.#runner.activeOnboarding)
  }

  #context(settings: LiveRunSettings): RunContext {
    const { task, store } = this.#options
    const runId = this.#records.runId
    return {
      task,
      settings,
      taskRunId: runId,
      store,
      provider: providerOf(this.#options),
      clock: this.#clock,
      logger: this.#options.logger ?? silentLogger,
      runDir: store.runDirectory(runId),
      pushStatus: (subjectId, status) => {
        this.#pushStatus(subjectId, status)
      },
    }
  }

  /** Tells the page; once the agent's unit ended, what was kept in memory for it goes. */
  #pushStatus(subjectId: string, status: AgentStatus): void {
    this.#io.pushStatus(subjectId, status)
    if (FINAL_AGENT_STATUSES.has(status)) this.#features.agentEnded(subjectId)
  }

  #partsForFeatures(): { ctx: RunContext; sendLiveUpdate: IoHandler['sendLiveUpdate'] } {
    return {
      ctx: this.#ctx,
      sendLiveUpdate: (subjectId, data) => {
        this.#io.sendLiveUpdate(subjectId, data)
      },
    }
  }

  #uploadFetcher(): UploadFetcher {
    const { router } = this.#options
    return router.uploadDir !== undefined
      ? localUploadFetcher(router.uploadDir)
      : remoteUploadFetcher({ routerUrl: router.httpUrl, token: router.token })
  }

  #packetHandlers(): PacketHandlers {
    const { store, logger } = this.#ctx
    // Once stopping, a registration (or a passed onboarding) must not reserve
    // a unit (and arm its deadline) while the units are expired.
    // A new registration once the run is ending is told the run ended; an
    // onboarding handed in meanwhile just gets no unit.
    const unlessStopped = (
      requestId: string,
      register: () => Promise<RegistrationResult>,
      whenEnding: 'RUN_ENDED' | 'NO_AVAILABLE_UNITS' = 'NO_AVAILABLE_UNITS',
    ): Promise<RegistrationResult> =>
      this.#stopped
        ? Promise.resolve({
            details: refused({
              requestId,
              workerId: null,
              reason: this.#ending ? whenEnding : 'NO_AVAILABLE_UNITS',
            }),
          })
        : register().then((result) => {
            // A reservation takes a place: the platform's open places follow.
            if (this.#session !== null) this.#progress.schedule()
            return this.#features.registered(result)
          })
    const observed = this.#observation
    return {
      register: (providerData, requestId) => {
        const produce = (): Promise<RegistrationResult> =>
          unlessStopped(requestId, () => this.#pool.register(providerData, requestId), 'RUN_ENDED')
        return observed === null ? produce() : observed.registration('register', produce)
      },
      submitOnboarding: (subjectId, answers, requestId) => {
        const produce = (): Promise<RegistrationResult> =>
          unlessStopped(requestId, () => this.#pool.submitOnboarding(subjectId, answers, requestId))
        return observed === null ? produce() : observed.registration('onboarding', produce)
      },
      submitUnit: async (agentId, submitted, submissionKey) => {
        const store = (): Promise<StoredOutcome> =>
          this.#runner.submit(agentId, submitted, submissionKey)
        const outcome = await (observed === null ? store() : observed.submission(store))
        await this.#features.submitted(agentId)
        return outcome
      },
      submitMetadata: (subjectId, metadata) => this.#runner.storeMetadata(subjectId, metadata),
      logError: (subjectId, errorData) =>
        store.logs.addErrorLog(
          subjectId === null || subjectId === 'mephisto' ? null : parseSubjectId(subjectId),
          errorData,
        ),
      liveUpdate: (subjectId, update) => {
        const taken = this.#features.liveUpdate(subjectId, update)
        if (taken !== undefined) return taken
        if (this.#runner.liveUpdate !== undefined) return this.#runner.liveUpdate(subjectId, update)
        logger.debug({ subjectId }, 'live update without a procedure to serve it ignored')
        return undefined
      },
      liveAgents: () => liveAgentsOf(store, this.#records.runId),
      reconcile: async (statuses, pushed) => {
        for (const [subjectId, routerStatus] of Object.entries(statuses)) {
          if (!isAgentStatus(routerStatus) || pushed.get(subjectId) === routerStatus) continue
          await reconcileStatus({ ctx: this.#ctx, runner: this.#runner }, subjectId, routerStatus)
        }
      },
    }
  }

  async #firstConnection(): Promise<void> {
    const { socketUrl } = this.#options.router
    const connectTimeoutMs = this.#options.connectTimeoutMs ?? 30_000
    let timer: ReturnType<Clock['setTimeout']> | undefined
    try {
      await Promise.race([
        this.#channel.start(),
        new Promise((_, reject) => {
          timer = this.#clock.setTimeout(() => {
            reject(
              new RunError(
                'ROUTER_UNREACHABLE',
                `could not reach the router at ${socketUrl} within ${String(connectTimeoutMs)} ms`,
              ),
            )
          }, connectTimeoutMs)
        }),
      ])
    } finally {
      if (timer !== undefined) this.#clock.clearTimeout(timer)
    }
  }

  async #finish(): Promise<RunProgress> {
    const { store } = this.#ctx
    this.#stopped = true
    this.#ending = true
    this.#observation?.stop()
    // No new workers from the platform while the run winds down.
    await this.#session?.close()
    await this.#io.drain()
    await this.#features.close()
    await this.#runner.close()
    for (const agent of await store.agents.listForRun(this.#records.runId)) {
      if (!FINAL_AGENT_STATUSES.has(agent.status))
        await setAgentStatus(this.#ctx, agent.id, AgentStatus.EXPIRED)
    }
    await this.#runner.expireOnboarding()
    await store.units.expire(this.#unitIds())
    await store.taskRuns.end(this.#records.runId)
    // After the end, so that an `end` asked by an operator is marked applied
    // only once it is (asked again after a crash, it is applied again).
    await this.#control.close()
    this.#io.close()
    await this.#channel.close()
    // Packets that arrived while stopping (kept as late submissions) are
    // written before stop() resolves and the caller closes the store.
    await this.#io.drain()
    await this.#progress.settled()
    const progress = await this.#launcher.fill(0)
    this.#progress.finish(progress)
    return progress
  }

  /**
   * The link closes first, so no packet starts after it; those being handled
   * finish (a submission is stored, or unacknowledged and retried by its
   * page after the resume). The runner's timers stop without touching the
   * store: a live assignment's `run` is ended in memory and re-entered when
   * the run resumes, and every deadline stays stored.
   */
  async #suspend(): Promise<RunProgress> {
    this.#stopped = true
    await this.#control.close()
    this.#observation?.stop()
    await this.#session?.pause()
    this.#io.close()
    await this.#channel.close()
    await this.#io.drain()
    await this.#features.close()
    await this.#runner.close()
    await this.#progress.settled()
    const progress = await this.#launcher.count(this.#runner.activeOnboarding)
    this.#progress.finish(progress)
    return progress
  }

  #stats(): RunMemoryStats {
    const pushed = this.#io.stats()
    const features = this.#features.stats()
    return {
      pushedStatuses: pushed.pushedLive,
      endedStatuses: pushed.pushedEnded,
      remoteCallers: features['remoteCallers'] ?? 0,
      agentsWithRemoteCalls: features['agentsWithRemoteCalls'] ?? 0,
      onboardingVerdicts: this.#pool.stats().onboardingVerdicts,
    }
  }

  #unitIds(): string[] {
    return this.#units.map((unit) => unit.id)
  }
}

/** The page half: given, else the platform's, else the mock provider. */
function providerOf(options: RunTaskOptions): CrowdProvider {
  if (options.provider !== undefined) return options.provider
  const platform = options.platform
  return platform === undefined
    ? mockProvider
    : crowdProviderFor(platform.platform, platform.completionCode)
}
