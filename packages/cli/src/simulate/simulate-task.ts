// `faust simulate`: runs a task end to end with N bots (its `bot`) against a
// real router and backend, each a child process of the built CLI, optionally
// with faults, then checks what was stored against what the bots saw.
import { setMaxListeners } from 'node:events'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { mockProvider, type TaskDefinition } from '@faust/backend'
import { openDatabase } from '@faust/backend/store'
import type { OutputStream } from '../command-io.js'
import { prepareSite } from '../site/prepare-site.js'
import { ensurePage } from '../task/ensure-page.js'
import { loadTask } from '../task/load-task.js'
import { resolveTaskFile } from '../task/resolve-task-file.js'
import { SocketTracker } from './bot-page.js'
import { pageFaults, startChaos, type ChaosKind } from './chaos.js'
import { seededRandom } from './seeded-random.js'
import { runSimBot, type SimBotEnv } from './sim-bot.js'
import { runChecks, type CheckResult } from './sim-checks.js'
import type { MetricsServer } from '../metrics/metrics-server.js'
import { RUN_FINISHED, SimProcesses } from './sim-processes.js'
import { SimRecord } from './sim-record.js'

/** Options of {@link simulateTask}. */
export interface SimulateOptions {
  readonly taskPath: string
  readonly workers: number
  readonly seed: number
  readonly chaos: readonly ChaosKind[]
  /** Keep the store here; a throwaway folder (removed when every check holds) otherwise. */
  readonly dataDir?: string | undefined
  /** The whole simulation's bound, in seconds. */
  readonly timeLimitSeconds: number
  /** Where progress lines (faults, the end) go. */
  readonly log: OutputStream
  /** Serve the router's and backend's metrics, summed, on this port (docs/operations.md). */
  readonly metricsPort?: number | undefined
}

/** What a simulation found. */
export interface SimulateReport {
  readonly taskName: string
  readonly ok: boolean
  readonly checks: readonly CheckResult[]
  readonly seconds: number
  readonly acks: number
  readonly registrations: number
  readonly transientErrors: number
  readonly routerStarts: number
  readonly backendStarts: number
  readonly faults: Readonly<Record<string, number>>
  /** The data folder, when kept (given, or a check failed). */
  readonly dataDir: string | null
}

/** The longest a bot waits for one answer before its page counts as stuck. */
const STEP_MS = 30_000

/** Runs the simulation; never throws for a violated check (the report says), only for bad input. */
export async function simulateTask(options: SimulateOptions): Promise<SimulateReport> {
  const { file, dir } = await resolveTaskFile(options.taskPath)
  const task = await loadTask(file)
  if (task.bot === undefined) {
    throw new Error(
      `${file}: the task has no bot to simulate workers with: add defineTask({ bot })`,
    )
  }
  const pageDir = resolve(dir, task.page)
  await ensurePage({ pageDir, taskDir: dir, log: options.log })
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'faust-simulate-')))
  await mkdir(dataDir, { recursive: true })
  const siteDir = join(dataDir, 'sites', task.name)
  await prepareSite({ pageDir, siteDir, task, provider: mockProvider })
  const processes = new SimProcesses({
    taskPath: file,
    dataDir,
    siteDir,
    faultHook: options.chaos.includes('disk'),
    startMs: STEP_MS,
    metrics: options.metricsPort !== undefined,
  })
  const metrics = await startSimulationMetrics(options, processes)
  const since = Date.now()
  const record = new SimRecord()
  const faults: Record<string, number> = {}
  let unfinished: string | null
  try {
    unfinished = await drive({ task, options, processes, record, faults })
  } finally {
    await metrics?.close()
    await processes.closeAll()
  }
  const checks = await checkStore({ dataDir, taskName: task.name, since, record, unfinished })
  const ok = checks.every((check) => check.violations.length === 0)
  const keep = options.dataDir !== undefined || !ok
  if (!keep) await rm(dataDir, { recursive: true, force: true })
  return {
    taskName: task.name,
    ok,
    checks,
    seconds: (Date.now() - since) / 1000,
    acks: record.acks.length,
    registrations: record.registrations,
    transientErrors: record.transientErrors,
    routerStarts: processes.routerStarts,
    backendStarts: processes.backendStarts,
    faults,
    dataDir: keep ? dataDir : null,
  }
}

/** `--metrics-port`: the summed endpoint, its line printed; undefined without the flag. */
async function startSimulationMetrics(
  options: SimulateOptions,
  processes: SimProcesses,
): Promise<MetricsServer | undefined> {
  if (options.metricsPort === undefined) return undefined
  // Loaded when used: prom-client is needed only with the flag.
  const { serveSimulationMetrics } = await import('../metrics/simulate-metrics.js')
  const server = await serveSimulationMetrics(options.metricsPort, () => processes.metricsUrls())
  options.log.write(`faust simulate: metrics: ${server.url}\n`)
  return server
}

interface DriveParts {
  readonly task: TaskDefinition
  readonly options: SimulateOptions
  readonly processes: SimProcesses
  readonly record: SimRecord
  readonly faults: Record<string, number>
}

/** Starts everything, lets the bots work until the run ends; why it did not finish, or null. */
async function drive(parts: DriveParts): Promise<string | null> {
  const { task, options, processes, record } = parts
  const random = seededRandom(options.seed)
  const sockets = new SocketTracker()
  const stop = new AbortController()
  // Every bot's page listens for the end: one listener each, not a leak.
  setMaxListeners(0, stop.signal)
  await processes.startRouter()
  const backend = processes.startBackend()
  options.log.write(
    `faust simulate: router ${processes.routerUrl} (pid ${String(processes.routerPid)}), backend pid ${String(backend.process.pid)}, ${String(options.workers)} workers\n`,
  )
  const env: SimBotEnv = {
    baseUrl: processes.routerUrl,
    bot: task.bot ?? {},
    live: task.taskType === 'concurrent' || Object.keys(task.remoteProcedures).length > 0,
    concurrent: task.taskType === 'concurrent',
    random,
    faults: pageFaults(options.chaos),
    record,
    sockets,
    signal: stop.signal,
    stepMs: STEP_MS,
  }
  const bots = Array.from({ length: options.workers }, (_, index) =>
    runSimBot(env, `bot${String(index + 1)}`),
  )
  const chaos = startChaos({
    kinds: options.chaos,
    processes,
    sockets,
    random,
    onFault: (kind, detail) => {
      parts.faults[kind] = (parts.faults[kind] ?? 0) + 1
      options.log.write(`faust simulate: fault: ${detail}\n`)
    },
  })
  try {
    return await runEnd(processes, options.timeLimitSeconds * 1000)
  } finally {
    await chaos.stop()
    stop.abort()
    await Promise.allSettled(bots)
  }
}

/** Waits until a backend exits on its own: null for exit 0, else why not (also for the time limit). */
async function runEnd(processes: SimProcesses, limitMs: number): Promise<string | null> {
  const deadline = Date.now() + limitMs
  for (;;) {
    const child = processes.backend
    if (child === undefined) return 'the backend never started'
    const left = deadline - Date.now()
    if (left <= 0) return `the run did not finish within ${String(limitMs / 1000)} s`
    let timer: NodeJS.Timeout | undefined
    const code = await Promise.race([
      child.exited,
      new Promise<'late'>((resolve) => {
        timer = setTimeout(() => {
          resolve('late')
        }, left)
      }),
    ])
    clearTimeout(timer)
    if (code === 'late') continue
    if (processes.killedBackends.has(child) || processes.backend !== child) {
      // The chaos killed it and restarts it: wait for the next one.
      await new Promise((resolve) => setTimeout(resolve, 100))
      continue
    }
    // Killed while shutting down after its run ended: the run finished.
    if (code === 0 || child.printed(RUN_FINISHED)) return null
    return `faust run exited with code ${String(code)} (see simulate.log)`
  }
}

async function checkStore(input: {
  readonly dataDir: string
  readonly taskName: string
  readonly since: number
  readonly record: SimRecord
  readonly unfinished: string | null
}): Promise<CheckResult[]> {
  await using store = await openDatabase({ dataDir: input.dataDir })
  return await runChecks({
    store,
    taskName: input.taskName,
    since: input.since,
    acks: input.record.acks,
    stuck: input.record.stuck,
    unfinished: input.unfinished,
  })
}

/** The summary `faust simulate` prints. */
export function formatReport(report: SimulateReport, header: string): string {
  const faults = Object.entries(report.faults)
    .map(([kind, count]) => `${kind} ${String(count)}`)
    .join(', ')
  const lines = [
    header,
    `  ${report.ok ? 'passed' : 'FAILED'} in ${report.seconds.toFixed(1)} s: ${String(report.acks)} submissions acknowledged, ${String(report.registrations)} registrations, ${String(report.transientErrors)} errors the pages got past`,
    `  processes: router started ${String(report.routerStarts)}x, backend started ${String(report.backendStarts)}x${faults === '' ? '' : `; faults: ${faults}`}`,
    '  checks:',
  ]
  for (const check of report.checks) {
    const count = check.violations.length
    lines.push(
      `    ${count === 0 ? 'ok  ' : 'FAIL'} ${check.name}${count === 0 ? '' : ` (${String(count)})`}`,
    )
    for (const violation of check.violations.slice(0, 10)) lines.push(`         - ${violation}`)
    if (count > 10) lines.push(`         … and ${String(count - 10)} more`)
  }
  if (report.dataDir !== null) lines.push(`  data folder (with simulate.log): ${report.dataDir}`)
  return `${lines.join('\n')}\n`
}
