import { Command, CommanderError } from 'commander'
import { routerCommand, type CommandIo } from './commands/router-command.js'

/** The `faust` program with every command, for tests and the bin script. */
export function buildProgram(io: CommandIo): Command {
  return new Command('faust')
    .description(
      "Faust: run crowdsourcing tasks with a router that speaks Mephisto's Architect API.",
    )
    .showHelpAfterError()
    .exitOverride()
    .addCommand(routerCommand(io))
}

/** Resolves with the first SIGINT or SIGTERM. */
function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: string): void => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      resolve(signal)
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  })
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram({ stderr: process.stderr, stopSignal: stopSignal() })
  try {
    await program.parseAsync(argv)
    return 0
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode
    process.stderr.write(`faust: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
}
