import { Command, Option } from 'commander'
import type { CommandIo } from '../command-io.js'
import { dataDirOption, openExistingDatabase } from '../data-dir.js'
import { createLogger } from '../logger.js'
import { parseNonNegativeInteger } from '../parse-number.js'

interface ConsoleFlags {
  dataDir: string
  host: string
  port: number
  token?: string
  task?: string[]
}

/** The console's default port for `faust console` (faust run's own default is any free port). */
export const CONSOLE_DEFAULT_PORT = 3001

/** `--console-token` / `--token`: a fixed token instead of a random one. */
export function consoleTokenOption(flag: string): Option {
  return new Option(
    `${flag} <token>`,
    'access token of the printed link (default: 32 random bytes); prefer the variable over the flag, which other users can see in ps',
  ).env('FAUST_CONSOLE_TOKEN')
}

/** `faust console`: serves the operator's console for a data folder until Ctrl-C. */
export function consoleCommand(io: CommandIo): Command {
  return new Command('console')
    .description(
      "Serve the operator's web console for a data folder: watch runs, review and pay work (docs/console.md).",
    )
    .addOption(dataDirOption())
    .addOption(
      new Option(
        '--host <host>',
        'interface the console listens on (loopback unless told)',
      ).default('127.0.0.1'),
    )
    .addOption(
      new Option('--port <n>', 'port of the console (0 = any free port)')
        .argParser(parseNonNegativeInteger)
        .default(CONSOLE_DEFAULT_PORT),
    )
    .addOption(consoleTokenOption('--token'))
    .addOption(
      new Option(
        '--task <task...>',
        'task files or folders whose review views to build first (after editing one; faust run builds them too)',
      ),
    )
    .action(async (flags: ConsoleFlags) => {
      const stopped = io.stopSignal
      const { serveConsole } = await import('../console/serve-console.js')
      const store = await openExistingDatabase(flags.dataDir)
      try {
        if (flags.task !== undefined) {
          // Loaded only here: esbuild and tsx stay out of a plain `faust console`.
          const { buildReviewViews } = await import('../console/build-review-views.js')
          await buildReviewViews(flags.task, { dataDir: store.dataDir, io })
        }
        const server = await serveConsole({
          store,
          listen: { host: flags.host, port: flags.port, token: flags.token },
          logger: createLogger('warn', io.stderr),
        })
        io.stdout.write(`console: ${server.url}\n`)
        const signal = await stopped
        io.stderr.write(`faust console: ${signal}: closing\n`)
        await server.close()
      } finally {
        await store.close()
      }
    })
}
