import { randomBytes } from 'node:crypto'
import { Command, Option } from 'commander'
import type { Logger } from 'pino'
import type { BackendAuth, Router, RouterOptions } from '@faust/router'
import type { MetricsServer } from '../metrics/metrics-server.js'
import { metricsPortOption, serveMetrics, sourceOf } from '../metrics/serve-metrics.js'
import { ROUTER_DEFAULTS as D } from '@faust/router/defaults'
import type { CommandIo } from '../command-io.js'
import { sizeText } from '../default-text.js'
import { explainListenError } from '../listen-error.js'
import { routerJsonLimits, withJsonLimitOptions, type JsonLimitFlags } from '../json-limit-flags.js'
import { createLogger } from '../logger.js'
import { booleanOption, integerOption } from '../parse-number.js'
import { installSafetyNet } from '../safety-net.js'
import { addSurfaceOptions, surfaceRouterOptions, type SurfaceFlags } from './surface-flags.js'

interface RouterFlags extends SurfaceFlags, JsonLimitFlags {
  host: string
  port: number
  static?: string
  backendToken?: string
  backendAuth: BackendAuth
  allowUnknownAgents: boolean
  reconnectGraceMs: number
  heartbeatTimeoutMs: number
  requestTimeoutMs: number
  uploadDir?: string
  maxUploadBytes?: number
  maxUploadFiles?: number
  maxBodyBytes?: number
  maxFrameBytes?: number
  logLevel: string
  maxSubmittedAgents?: number
  submittedAgentTtlMs?: number
  // ---- memory bounds and deadlines
  maxEndedAgents?: number
  identifyTimeoutMs?: number
  headersTimeoutMs?: number
  bodyTimeoutMs?: number
  keepAliveTimeoutMs?: number
  metricsPort?: number
}

/** `faust router`: runs the router alone, for a backend that connects to it. */
export function routerCommand(io: CommandIo): Command {
  const command = new Command('router').description(
    'Run the router alone: serves the task page and relays between workers and a backend.',
  )
  addConnectionOptions(command)
  addSizeOptions(command)
  addMemoryOptions(command)
  command.action((flags: RouterFlags) => runRouter(io, flags))
  return withJsonLimitOptions(addSurfaceOptions(command))
}

/** Where the router listens, what it serves, and how it treats the backend and live agents. */
function addConnectionOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--host <host>', 'interface to listen on').env('FAUST_HOST').default(D.host),
    )
    .addOption(
      integerOption(
        '--port <n>',
        'port for HTTP and WebSocket (0 = any free port)',
        'FAUST_PORT',
      ).default(D.port),
    )
    .addOption(
      new Option(
        '--static <dir>',
        'folder served as the task page (index.html, bundle.js, task_config.json)',
      ).env('FAUST_STATIC_DIR'),
    )
    .addOption(
      new Option(
        '--backend-token <secret>',
        'secret the backend presents (Bearer header or ?token=); generated and printed if omitted',
      ).env('FAUST_BACKEND_TOKEN'),
    )
    .addOption(
      new Option(
        '--backend-auth <mode>',
        'token: the backend presents the secret; loopback: also a local backend that presents none (Mephisto)',
      )
        .env('FAUST_BACKEND_AUTH')
        .choices(['token', 'loopback'] satisfies BackendAuth[])
        .default(D.backendAuth),
    )
    .addOption(
      booleanOption(
        '--allow-unknown-agents',
        "accept agent ids the backend never named (Mephisto's Python backend after a router restart)",
        'FAUST_ALLOW_UNKNOWN_AGENTS',
      ),
    )
    .addOption(
      integerOption(
        '--reconnect-grace-ms <n>',
        'how long a live agent whose socket closed may take to reconnect',
        'FAUST_RECONNECT_GRACE_MS',
      ).default(D.reconnectGraceMs),
    )
    .addOption(
      integerOption(
        '--heartbeat-timeout-ms <n>',
        'a live agent silent this long becomes disconnect',
        'FAUST_HEARTBEAT_TIMEOUT_MS',
      ).default(D.heartbeatTimeoutMs),
    )
    .addOption(
      integerOption(
        '--request-timeout-ms <n>',
        '/request_agent and /submit_onboarding answer within this',
        'FAUST_REQUEST_TIMEOUT_MS',
      ).default(D.requestTimeoutMs),
    )
}

/** Where uploads go and how large a body, file or frame may be. */
function addSizeOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--upload-dir <dir>',
        `where uploads are stored (default: <tmp>/${D.uploadDirName})`,
      ).env('FAUST_UPLOAD_DIR'),
    )
    .addOption(
      integerOption(
        '--max-upload-bytes <n>',
        `largest uploaded file (default ${sizeText(D.maxUploadBytes)})`,
        'FAUST_MAX_UPLOAD_BYTES',
      ),
    )
    .addOption(
      integerOption(
        '--max-upload-files <n>',
        `most files in one submission (default ${String(D.maxUploadFiles)})`,
        'FAUST_MAX_UPLOAD_FILES',
      ),
    )
    .addOption(
      integerOption(
        '--max-body-bytes <n>',
        `largest JSON body or form field (default ${sizeText(D.maxBodyBytes)})`,
        'FAUST_MAX_BODY_BYTES',
      ),
    )
    .addOption(
      integerOption(
        '--max-frame-bytes <n>',
        `largest frame from a worker's socket (default ${sizeText(D.maxAgentFrameBytes)})`,
        'FAUST_MAX_FRAME_BYTES',
      ),
    )
}

/** What the router remembers and for how long, its deadlines, then the log level. */
function addMemoryOptions(command: Command): Command {
  return (
    command
      // ---- duplicate submissions
      .addOption(
        integerOption(
          '--max-submitted-agents <n>',
          `submitted agents remembered to refuse a second submission with other data (409); 0 = off (default ${String(D.maxSubmittedAgents)})`,
          'FAUST_MAX_SUBMITTED_AGENTS',
        ),
      )
      .addOption(
        integerOption(
          '--submitted-agent-ttl-ms <n>',
          `how long a submitted agent is remembered (default ${String(D.submittedAgentTtlMs)}, ${String(D.submittedAgentTtlMs / 3_600_000)} h)`,
          'FAUST_SUBMITTED_AGENT_TTL_MS',
        ),
      )
      // ---- memory bounds and deadlines (docs/router.md "Memory and deadlines")
      .addOption(
        integerOption(
          '--max-ended-agents <n>',
          `agents whose unit ended remembered to answer their late packets (default ${String(D.maxEndedAgents)})`,
          'FAUST_MAX_ENDED_AGENTS',
        ),
      )
      .addOption(
        integerOption(
          '--identify-timeout-ms <n>',
          `a socket that has not sent alive by then is closed with 4408 (default ${String(D.identifyTimeoutMs)})`,
          'FAUST_IDENTIFY_TIMEOUT_MS',
        ),
      )
      .addOption(
        integerOption(
          '--headers-timeout-ms <n>',
          `an HTTP request must complete its headers within this (default ${String(D.headersTimeoutMs)})`,
          'FAUST_HEADERS_TIMEOUT_MS',
        ),
      )
      .addOption(
        integerOption(
          '--body-timeout-ms <n>',
          `a whole HTTP request, body included, must arrive within this (default ${String(D.bodyTimeoutMs)})`,
          'FAUST_BODY_TIMEOUT_MS',
        ),
      )
      .addOption(
        integerOption(
          '--keep-alive-timeout-ms <n>',
          `an idle keep-alive HTTP connection is closed after this (default ${String(D.keepAliveTimeoutMs)})`,
          'FAUST_KEEP_ALIVE_TIMEOUT_MS',
        ),
      )
      .addOption(
        new Option('--log-level <level>', 'log level')
          .env('FAUST_LOG_LEVEL')
          .choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
          .default(D.logLevel),
      )
      .addOption(metricsPortOption())
  )
}

/** The router's options from the parsed flags. */
function routerOptionsOf(flags: RouterFlags, backendToken: string, logger: Logger): RouterOptions {
  return {
    host: flags.host,
    port: flags.port,
    staticDir: flags.static,
    backendToken,
    backendAuth: flags.backendAuth,
    allowUnknownAgents: flags.allowUnknownAgents,
    reconnectGraceMs: flags.reconnectGraceMs,
    heartbeatTimeoutMs: flags.heartbeatTimeoutMs,
    requestTimeoutMs: flags.requestTimeoutMs,
    uploadDir: flags.uploadDir,
    maxUploadBytes: flags.maxUploadBytes,
    maxUploadFiles: flags.maxUploadFiles,
    maxBodyBytes: flags.maxBodyBytes,
    maxAgentFrameBytes: flags.maxFrameBytes,
    maxSubmittedAgents: flags.maxSubmittedAgents,
    submittedAgentTtlMs: flags.submittedAgentTtlMs,
    maxEndedAgents: flags.maxEndedAgents,
    identifyTimeoutMs: flags.identifyTimeoutMs,
    headersTimeoutMs: flags.headersTimeoutMs,
    bodyTimeoutMs: flags.bodyTimeoutMs,
    keepAliveTimeoutMs: flags.keepAliveTimeoutMs,
    ...surfaceRouterOptions(flags),
    ...routerJsonLimits(flags),
    // Logs go to stderr: stdout is kept for machine-readable output.
    logger: logger.child({ name: 'faust-router' }),
  }
}

/** `--metrics-port`: the router's metrics endpoint; undefined without the flag. */
async function startRouterMetrics(
  flags: RouterFlags,
  router: Router,
): Promise<MetricsServer | undefined> {
  if (flags.metricsPort === undefined) return undefined
  // Loaded when used: prom-client is needed only with the flag.
  const { createFaustMetrics } = await import('../metrics/faust-metrics.js')
  const { observeRouter } = await import('../metrics/router-metrics.js')
  const metrics = createFaustMetrics()
  const unobserve = observeRouter(metrics, router, { heartbeatTimeoutMs: flags.heartbeatTimeoutMs })
  const server = await serveMetrics(sourceOf(metrics), flags.metricsPort)
  return {
    ...server,
    close: async () => {
      unobserve()
      await server.close()
    },
  }
}

/** Runs the router until the stop signal, printing where it serves. */
async function runRouter(io: CommandIo, flags: RouterFlags): Promise<void> {
  const generated = flags.backendToken === undefined
  const backendToken = flags.backendToken ?? randomBytes(24).toString('base64url')
  const logger = createLogger(flags.logLevel, io.stderr)
  const options = routerOptionsOf(flags, backendToken, logger)
  const net = installSafetyNet({
    logger,
    context: { command: 'router' },
  })
  try {
    // Loaded when used, so that the other commands start without the HTTP server's modules.
    const { createRouter } = await import('@faust/router')
    const router = await explainListenError({ host: flags.host, port: flags.port }, () =>
      createRouter(options),
    )
    net.onFatal(() => router.close())
    const metrics = await startRouterMetrics(flags, router).catch(async (error: unknown) => {
      await router.close()
      throw error
    })
    // Listening before the address is printed: whoever reads it may stop the router at once.
    const stopped = io.stopSignal
    io.stderr.write(`faust router: serving ${router.url}/ ; backend socket ${router.socketUrl}\n`)
    if (generated) io.stderr.write(`faust router: backend token (generated): ${backendToken}\n`)
    if (metrics !== undefined) io.stderr.write(`faust router: metrics: ${metrics.url}\n`)
    const signal = await stopped
    io.stderr.write(`faust router: ${signal} received, shutting down\n`)
    await metrics?.close()
    await router.close()
  } finally {
    net.dispose()
  }
}
