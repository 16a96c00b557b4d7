import { resolve } from 'node:path'
import { mockProvider, type TaskRunHandle } from '@faust/backend'
import { openDatabase, type Store } from '@faust/backend/store'
import { ROUTER_DEFAULTS } from '@faust/router/defaults'
import type { Architect } from '../architect/architect.js'
import type { RunMetricsEndpoint } from '../metrics/run-metrics-endpoint.js'
import type { CommandIo } from '../command-io.js'
import { dataDirHint } from '../data-dir.js'
import { createLogger } from '../logger.js'
import type { Logger } from 'pino'
import { openArchitect, type ArchitectChoice } from '../architect/open-architect.js'
import { buildTaskReview } from '../task/build-review.js'
import { ensurePage } from '../task/ensure-page.js'
import { loadTask } from '../task/load-task.js'
import { resolveTaskFile } from '../task/resolve-task-file.js'
import { plural } from '../plural.js'
import { runTask } from '../providers/backend-api.js'
import type { ProviderChoice } from '../providers/provider-flags.js'
import type { SafetyNet } from '../safety-net.js'
import type { ConsoleListen } from '../console/serve-console.js'
import { installFaultHook } from './fault-hook.js'
import { watchAgents, type AgentWatch } from './watch-agents.js'
import { openPlatform, platformSetup, runPlatformOptions } from './platform-run.js'
import { followRun } from './follow-run.js'
import { formatResumeLine, formatRunBanner } from './run-banner.js'
import { formatTaskHistory, readTaskHistory, type TaskHistory } from './task-history.js'

/** Options of {@link runTaskFile}. */
export interface RunTaskFileOptions {
  /** A task file, or a folder holding `task.ts` / `task.js`. */
  readonly taskPath: string
  readonly dataDir: string
  readonly architect: ArchitectChoice
  readonly logLevel: string
  /** Start a new run rather than resume the task's unfinished one (`--new-run`). */
  readonly newRun?: boolean | undefined
  /** Where workers come from (`--provider`); the mock provider when unset. */
  readonly provider?: ProviderChoice | undefined
  readonly io: CommandIo
  /** Serve Prometheus metrics on this port (`--metrics-port`; docs/operations.md). */
  readonly metricsPort?: number | undefined
  /** Closes the router and the store if the process meets an uncaught exception. */
  readonly safetyNet?: SafetyNet | undefined
  /** Where to serve the operator's console beside the run; null or unset: not served. */
  readonly console?: ConsoleListen | null | undefined
}

/**
 * `faust run`: loads the task, serves its page through a router, runs it
 * until every unit is done or a stop signal, showing progress, and says
 * where the results are.
 */
export async function runTaskFile(options: RunTaskFileOptions): Promise<void> {
  const { io } = options
  // Listen from the start: a Ctrl-C while the run starts up stops it once started.
  const stopped = io.stopSignal
  const { file, dir } = await resolveTaskFile(options.taskPath)
  const task = await loadTask(file)
  // Before the page is built or a router started: a missing credential fails at once.
  const platform = openPlatform(options.provider)
  const pageDir = resolve(dir, task.page)
  await ensurePage({ pageDir, taskDir: dir, log: io.stderr })
  const logger = createLogger(options.logLevel, io.stderr)
  const store = await openDatabase({ dataDir: options.dataDir })
  const forgetStore = options.safetyNet?.onFatal(() => store.close())
  const removeFaultHook = installFaultHook(store, logger)
  const resultsHint = `npx faust results ${task.name}${dataDirHint(options.dataDir)}`
  try {
    await buildTaskReview(task, { taskDir: dir, dataDir: store.dataDir })
    // The completion code is in the page's wrap script: known before the site is prepared.
    const setup = await platformSetup(platform, { store, taskName: task.name })
    const provider = setup?.provider ?? mockProvider
    await reportRanBefore(store, { io, taskName: task.name, dataDir: options.dataDir, resultsHint })
    const architect = await openArchitect({
      choice: options.architect,
      task,
      pageDir,
      provider,
      dataDir: store.dataDir,
      logger,
    })
    const forgetArchitect = options.safetyNet?.onFatal(() => architect.close())
    let consoleServer: { close(): Promise<void> } | null = null
    let agentWatch: AgentWatch | null = null
    const metrics = await startRunMetrics(options, { store, router: architect.router })
    try {
      const publishing = runPlatformOptions({ setup, task, routerUrl: architect.url, io, stopped })
      const run = await runTask({
        observer: metrics?.observer,
        task,
        baseDir: dir,
        store,
        router: architect.access,
        provider,
        logger: logger.child({ name: 'faust-backend' }),
        newRun: options.newRun,
        platform: publishing,
      })
      agentWatch = watchAgents(architect, { store, runId: run.runId, logger })
      if (run.resumed !== null)
        io.stdout.write(formatResumeLine(run.runId, run.resumed, await run.progress()))
      io.stdout.write(
        formatRunBanner({
          taskName: task.name,
          runId: run.runId,
          units: run.units,
          url: publishing?.listing.pageUrl ?? architect.url,
          remoteSiteDir: options.architect.kind === 'remote' ? architect.siteDir : undefined,
          platform: setup?.platform,
        }),
      )
      consoleServer = await startConsole(options, { store, runId: run.runId, logger, handle: run })
      const signal = await followRun({
        run,
        io,
        stopped,
        onEnding: () => architect.backendLeaving(),
      })
      await reportRunEnd(store, { io, taskName: task.name, runId: run.runId, signal, resultsHint })
    } finally {
      forgetArchitect?.()
      await consoleServer?.close()
      await metrics?.close()
      await architect.close()
      // After the router: its last disconnects are recorded too.
      await agentWatch?.close()
    }
  } finally {
    removeFaultHook()
    forgetStore?.()
    await store.close()
  }
}

/** The last lines: how the run ended, what it holds, and where the results are. */
async function reportRunEnd(
  store: Store,
  end: {
    readonly io: CommandIo
    readonly taskName: string
    readonly runId: string
    readonly signal: string | undefined
    readonly resultsHint: string
  },
): Promise<void> {
  const history = await readTaskHistory(store, { taskName: end.taskName, taskRunId: end.runId })
  const how = end.signal === undefined ? 'finished' : `paused (${end.signal}; faust run resumes it)`
  end.io.stdout.write(
    `${end.taskName}: run ${how}: ${history === null ? 'nothing recorded' : formatTaskHistory(history)}\n` +
      `Results: ${end.resultsHint}\n`,
  )
}

/** `--metrics-port`: the endpoint, its line printed; undefined without the flag. */
async function startRunMetrics(
  options: RunTaskFileOptions,
  parts: { readonly store: Store; readonly router: Architect['router'] },
): Promise<RunMetricsEndpoint | undefined> {
  if (options.metricsPort === undefined) return undefined
  // Loaded when used: prom-client is needed only with the flag.
  const { openRunMetrics } = await import('../metrics/run-metrics-endpoint.js')
  const endpoint = await openRunMetrics({
    port: options.metricsPort,
    ...parts,
    heartbeatTimeoutMs: ROUTER_DEFAULTS.heartbeatTimeoutMs,
  })
  options.io.stdout.write(`metrics: ${endpoint.server.url}\n`)
  return endpoint
}

/** Says so when the data folder holds earlier runs of the task. */
async function reportRanBefore(
  store: Store,
  where: {
    readonly io: CommandIo
    readonly taskName: string
    readonly dataDir: string
    readonly resultsHint: string
  },
): Promise<void> {
  const before = await readTaskHistory(store, { taskName: where.taskName })
  if (before !== null) where.io.stdout.write(formatRanBefore(before, where))
}

/** The line saying that the data folder holds earlier runs of the task. */
function formatRanBefore(
  before: TaskHistory,
  where: { readonly taskName: string; readonly dataDir: string; readonly resultsHint: string },
): string {
  const { taskName, dataDir, resultsHint } = where
  return `${taskName} ran before in ${dataDir}: ${plural(before.runs, 'run')}, ${formatTaskHistory(before)} (${resultsHint})\n`
}

/** The console beside the run (`console: <url>`), serving that run live; null with --no-console. */
async function startConsole(
  options: RunTaskFileOptions,
  run: {
    readonly store: Store
    readonly runId: string
    readonly logger: Logger
    readonly handle: Pick<TaskRunHandle, 'runId' | 'change'>
  },
): Promise<{ close(): Promise<void> } | null> {
  if (options.console === undefined || options.console === null) return null
  const { serveConsole } = await import('../console/serve-console.js')
  const server = await serveConsole({
    store: run.store,
    listen: options.console,
    live: { isLive: (runId) => runId === run.runId },
    run: run.handle,
    logger: run.logger.child({ name: 'faust-console' }),
  })
  options.io.stdout.write(`console: ${server.url}\n`)
  return server
}
