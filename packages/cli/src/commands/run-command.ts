import { Command, Option } from 'commander'
import { ROUTER_DEFAULTS } from '@faust/router/defaults'
import type { ArchitectChoice } from '../architect/open-architect.js'
import type { CommandIo } from '../command-io.js'
import { dataDirOption } from '../data-dir.js'
import { routerJsonLimits, withJsonLimitOptions, type JsonLimitFlags } from '../json-limit-flags.js'
import { LOG_LEVELS, createLogger } from '../logger.js'
import { parseNonNegativeInteger } from '../parse-number.js'
import { addProviderOptions } from '../providers/provider-options.js'
import {
  checkPlannedPageUrl,
  chooseProvider,
  type ProviderFlags,
} from '../providers/provider-flags.js'
import { installSafetyNet } from '../safety-net.js'
import { consoleTokenOption } from './console-command.js'
import { metricsPortOption } from '../metrics/serve-metrics.js'
import { addSurfaceOptions, surfaceRouterOptions, type SurfaceFlags } from './surface-flags.js'

interface RunFlags extends SurfaceFlags, JsonLimitFlags, ProviderFlags {
  dataDir: string
  host: string
  port: number
  routerUrl?: string
  routerToken?: string
  logLevel: string
  newRun?: boolean
  console: boolean
  consoleHost: string
  consolePort: number
  consoleToken?: string
  metricsPort?: number
}

/** `faust run <task>`: runs a task with a router, showing progress until it is done. */
export function runCommand(io: CommandIo): Command {
  const command = new Command('run')
    .description(
      'Run a task: serve its page, hand its units to workers, and store their submissions.',
    )
    .argument('<task>', 'a task file (.ts, .mts, .js, .mjs) or a folder with task.ts / task.js')
    .addOption(dataDirOption())
    .addOption(
      new Option('--host <host>', 'interface the local router listens on')
        .env('FAUST_HOST')
        .default(ROUTER_DEFAULTS.host),
    )
    .addOption(
      new Option('--port <n>', 'port of the local router (0 = any free port)')
        .env('FAUST_PORT')
        .argParser(parseNonNegativeInteger)
        .default(ROUTER_DEFAULTS.port),
    )
    .addOption(
      new Option(
        '--router-url <url>',
        'use a router already running (faust router) at this http(s) address instead',
      ).env('FAUST_ROUTER_URL'),
    )
    .addOption(
      new Option('--router-token <secret>', "that router's backend token").env(
        'FAUST_ROUTER_TOKEN',
      ),
    )
    .addOption(
      new Option(
        '--new-run',
        'start a new run even if the data folder holds an unfinished run of this task (that one is ended, its unfinished units expired); without it, that run is resumed',
      ),
    )
    .addOption(
      new Option('--log-level <level>', 'log level of the router and backend (logs go to stderr)')
        .env('FAUST_LOG_LEVEL')
        .choices(LOG_LEVELS)
        .default('warn'),
    )
    .action(async (taskPath: string, flags: RunFlags) => {
      // Loaded when used: the router, tsx and pino are not needed by the other commands.
      const { runTaskFile } = await import('../run/run-task-file.js')
      const architect = chooseArchitect(flags)
      const provider = chooseProvider(flags)
      checkPlannedPageUrl(provider, flags.routerUrl)
      const net = installSafetyNet({
        logger: createLogger(flags.logLevel, io.stderr),
        context: { command: 'run', task: taskPath },
      })
      try {
        await runTaskFile({
          taskPath,
          dataDir: flags.dataDir,
          architect,
          logLevel: flags.logLevel,
          newRun: flags.newRun === true,
          provider,
          metricsPort: flags.metricsPort,
          io,
          safetyNet: net,
          console: flags.console
            ? { host: flags.consoleHost, port: flags.consolePort, token: flags.consoleToken }
            : null,
        })
      } finally {
        net.dispose()
      }
    })
  return withJsonLimitOptions(
    addSurfaceOptions(addProviderOptions(addConsoleAndMetricsOptions(command))),
  )
}

function chooseArchitect(flags: RunFlags): ArchitectChoice {
  if (flags.routerUrl === undefined) {
    if (flags.routerToken !== undefined) {
      throw new Error('--router-token is for a remote router: give --router-url too')
    }
    return {
      kind: 'local',
      host: flags.host,
      port: flags.port,
      surface: { ...surfaceRouterOptions(flags), ...routerJsonLimits(flags) },
    }
  }
  if (flags.routerToken === undefined) {
    throw new Error(
      '--router-url needs --router-token (the backend token the router was started with)',
    )
  }
  return { kind: 'remote', url: flags.routerUrl, token: flags.routerToken }
}

/** The console served beside the run (`--no-console`, `--console-*`) and `--metrics-port`. */
function addConsoleAndMetricsOptions(command: Command): Command {
  return command
    .addOption(new Option('--no-console', "don't serve the operator's console beside the run"))
    .addOption(
      new Option('--console-host <host>', 'interface the console listens on').default('127.0.0.1'),
    )
    .addOption(
      new Option('--console-port <n>', 'port of the console (0 = any free port)')
        .argParser(parseNonNegativeInteger)
        .default(0),
    )
    .addOption(consoleTokenOption('--console-token'))
    .addOption(metricsPortOption())
}
