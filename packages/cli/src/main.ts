import { Command, CommanderError } from 'commander'
import type { CommandIo } from './command-io.js'
import { auditCommand } from './commands/audit-command.js'
import { blockCommand } from './commands/block-command.js'
import { consoleCommand } from './commands/console-command.js'
import { initCommand } from './commands/init-command.js'
import { mephistoServerCommand } from './commands/mephisto-server-command.js'
import { qualifyCommand } from './commands/qualify-command.js'
import { reconcileCommand } from './commands/reconcile-command.js'
import { resultsCommand } from './commands/results-command.js'
import { reviewCommand } from './commands/review-command.js'
import { routerCommand } from './commands/router-command.js'
import { runCommand } from './commands/run-command.js'
import { runConfigCommand } from './commands/run-config-command.js'
import { runsCommand } from './commands/runs-command.js'
import { simulateCommand } from './commands/simulate-command.js'
import { stopSignal } from './stop-signal.js'

/** The `faust` program with every command, for tests and the bin script. */
export function buildProgram(io: CommandIo): Command {
  return new Command('faust')
    .description(
      "Faust: run crowdsourcing tasks with a router that speaks Mephisto's Architect API.",
    )
    .showHelpAfterError()
    .exitOverride()
    .addCommand(initCommand(io))
    .addCommand(runCommand(io))
    .addCommand(runsCommand(io))
    .addCommand(runConfigCommand(io))
    .addCommand(resultsCommand(io))
    .addCommand(reconcileCommand(io))
    .addCommand(reviewCommand(io))
    .addCommand(qualifyCommand(io))
    .addCommand(blockCommand(io))
    .addCommand(auditCommand(io))
    .addCommand(consoleCommand(io))
    .addCommand(simulateCommand(io))
    .addCommand(routerCommand(io))
    .addCommand(mephistoServerCommand(io))
}

/** The process's streams, and its stop signal, listened for only once a command asks. */
function processIo(): CommandIo {
  let signal: Promise<string> | undefined
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // Created on first use: only `faust run` on a crowd platform reads it (Publish? [y/N]).
    get stdin() {
      return process.stdin
    },
    // Lazy, so that Ctrl-C still simply ends short commands (results, qualify).
    get stopSignal() {
      return (signal ??= stopSignal())
    },
  }
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  // A reader that goes away (`faust results x | head`, a closed terminal, a
  // parent that stopped reading our logs) is not an error of ours. Unhandled,
  // the EPIPE of stderr became an uncaught exception whose report was written
  // to stderr again: a loop that kept the process spinning, deaf to SIGTERM.
  ignoreClosedReader(process.stdout)
  ignoreClosedReader(process.stderr)
  const program = buildProgram(processIo())
  try {
    await program.parseAsync(argv)
    return 0
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode
    process.stderr.write(`faust: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
}

/** Errors of a stream whose reader went away; anything else is still thrown. */
const CLOSED_READER = new Set(['EPIPE', 'ERR_STREAM_DESTROYED'])

function ignoreClosedReader(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === undefined || !CLOSED_READER.has(error.code)) throw error
  })
}
