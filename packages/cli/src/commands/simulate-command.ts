import { Command, Option } from 'commander'
import type { CommandIo } from '../command-io.js'
import { metricsPortOption } from '../metrics/serve-metrics.js'
import { parseNonNegativeInteger } from '../parse-number.js'

interface SimulateFlags {
  workers: number
  seed: number
  chaos: string
  dataDir?: string
  timeLimit: number
  metricsPort?: number
}

/** `faust simulate <task>`: the task end to end with bots, optionally with faults; exit 0 only when every check holds. */
export function simulateCommand(io: CommandIo): Command {
  return new Command('simulate')
    .description(
      "Run a task end to end with simulated workers (the task's bot) on a real router and backend, then check what was stored.",
    )
    .argument('<task>', 'a task file (.ts, .mts, .js, .mjs) or a folder with task.ts / task.js')
    .addOption(
      new Option('--workers <n>', 'simulated workers')
        .argParser(parseNonNegativeInteger)
        .default(10),
    )
    .addOption(
      new Option('--seed <n>', 'seed of every random choice (answers, faults)')
        .argParser(parseNonNegativeInteger)
        .default(1),
    )
    .addOption(
      new Option(
        '--chaos <faults>',
        'faults to inject: all, none, or a list of router, backend, sockets, reload, slow, duplicate, disk',
      ).default('none'),
    )
    .addOption(
      new Option('--data-dir <dir>', 'keep the store in this folder (default: a throwaway folder)'),
    )
    .addOption(
      new Option('--time-limit <seconds>', 'the run must finish within this')
        .argParser(parseNonNegativeInteger)
        .default(300),
    )
    .addOption(metricsPortOption())
    .action(async (taskPath: string, flags: SimulateFlags) => {
      // Loaded when used: the client, ws and the task loader are not needed by the other commands.
      const { parseChaos } = await import('../simulate/chaos.js')
      const { formatReport, simulateTask } = await import('../simulate/simulate-task.js')
      const chaos = parseChaos(flags.chaos)
      if (flags.workers < 1) throw new Error('--workers: at least 1')
      const report = await simulateTask({
        taskPath,
        workers: flags.workers,
        seed: flags.seed,
        chaos,
        dataDir: flags.dataDir,
        timeLimitSeconds: flags.timeLimit,
        log: io.stderr,
        metricsPort: flags.metricsPort,
      })
      const header = `faust simulate: ${report.taskName}, ${String(flags.workers)} workers, seed ${String(flags.seed)}, chaos: ${chaos.length === 0 ? 'none' : chaos.join(',')}`
      io.stdout.write(formatReport(report, header))
      const failed = report.checks.filter((check) => check.violations.length > 0).length
      // Thrown, so that main() answers exit code 1 (and says why on stderr).
      if (!report.ok)
        throw new Error(
          `simulate: ${String(failed)} of ${String(report.checks.length)} checks failed`,
        )
    })
}
