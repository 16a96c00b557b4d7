import { Command, Option } from 'commander'
import type { CommandIo } from '../command-io.js'
import { dataDirOption, openExistingDatabase } from '../data-dir.js'
import { platformFromEnvironment, reconcileRun } from '../providers/backend-api.js'
import { formatReconcileJson, formatReconcileReport } from '../providers/format-reconcile.js'
import { CliProviderError } from '../providers/provider-error.js'
import { findPublishedRun } from '../providers/published-run.js'

interface ReconcileFlags {
  dataDir: string
  dryRun?: boolean
  run?: string
  json?: boolean
}

/**
 * `faust reconcile <task>`: one reconciliation pass of a published run
 * against its platform, as `faust run` does every `--reconcile-every`
 * seconds. Drift found is repaired (exit 0); a platform error exits 1.
 */
export function reconcileCommand(io: CommandIo): Command {
  return new Command('reconcile')
    .description(
      "Compare a published run with its crowd platform's view (Prolific, MTurk) and repair the drift, once.",
    )
    .argument('<task-name>', "the task's name (defineTask's `name`)")
    .addOption(new Option('--dry-run', 'report the drift without repairing anything'))
    .addOption(new Option('--run <id>', 'this run of the task (default: its newest published run)'))
    .addOption(new Option('--json', 'the report as one JSON object'))
    .addOption(dataDirOption())
    .action(async (taskName: string, flags: ReconcileFlags) => {
      const store = await openExistingDatabase(flags.dataDir)
      try {
        const run = await findPublishedRun(store, taskName, { runId: flags.run })
        if (run === null) {
          throw new CliProviderError(
            'RUN_NOT_PUBLISHED',
            `no run of ${taskName} was published on a crowd platform (faust run --provider prolific|mturk): nothing to reconcile`,
          )
        }
        const platform = platformFromEnvironment(run.type, process.env, { sandbox: run.sandbox })
        const report = await reconcileRun({
          store,
          platform,
          taskRunId: run.taskRunId,
          dryRun: flags.dryRun === true,
        })
        const subject = { taskName, platform: run.type, sandbox: run.sandbox }
        io.stdout.write(
          flags.json === true
            ? formatReconcileJson(report, subject)
            : formatReconcileReport(report, subject),
        )
      } finally {
        await store.close()
      }
    })
}
