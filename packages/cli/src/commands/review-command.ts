import { Command, Option } from 'commander'
import type { CommandIo } from '../command-io.js'
import { dataDirOption, openExistingDatabase } from '../data-dir.js'
import { platformFromEnvironment, reviewUnits } from '../providers/backend-api.js'
import { CliProviderError } from '../providers/provider-error.js'
import { findPublishedRun } from '../providers/published-run.js'
import {
  formatReviewOutcomes,
  reviewActionFrom,
  type ReviewFlags,
} from '../providers/review-action.js'

interface ReviewCommandFlags extends ReviewFlags {
  dataDir: string
  json?: boolean
}

/**
 * `faust review <task>`: approve, reject, soft-reject or pay a bonus, on the
 * platform the task's newest published run used (only Faust's own records
 * for a task run with the mock provider). Every outcome is printed; any
 * failure exits 1 after the others were tried.
 */
export function reviewCommand(io: CommandIo): Command {
  return new Command('review')
    .description(
      "Review a task's completed units: approve, reject, soft-reject, or pay a bonus, on the platform they came from.",
    )
    .argument('<task-name>', "the task's name (defineTask's `name`)")
    .addOption(
      new Option(
        '--approve <unit>',
        'approve this unit, or every completed unit not reviewed (all-pending)',
      ),
    )
    .addOption(new Option('--reject <unit>', 'reject this unit (needs --reason)'))
    .addOption(
      new Option(
        '--soft-reject <unit>',
        "reject in Faust only: the worker is paid, the unit's data set aside",
      ),
    )
    .addOption(
      new Option(
        '--bonus <unit-and-amount...>',
        "pay this unit's worker a bonus: --bonus <unit> <amount> (needs --reason)",
      ),
    )
    .addOption(new Option('--reason <text>', 'why (shown to the worker with --reject and --bonus)'))
    .addOption(new Option('--category <category>', "Prolific's rejection category, with --reject"))
    .addOption(new Option('--json', 'the outcomes as one JSON array'))
    .addOption(dataDirOption())
    .action(async (taskName: string, flags: ReviewCommandFlags) => {
      const action = reviewActionFrom(flags)
      const store = await openExistingDatabase(flags.dataDir)
      try {
        const run = await findPublishedRun(store, taskName)
        const platform =
          run === null
            ? null
            : platformFromEnvironment(run.type, process.env, { sandbox: run.sandbox })
        const outcomes = await reviewUnits({ store, platform, taskName, action })
        io.stdout.write(
          flags.json === true
            ? `${JSON.stringify(outcomes)}\n`
            : formatReviewOutcomes(outcomes, action, platform?.currency ?? null),
        )
        const failed = outcomes.filter((outcome) => outcome.result === 'failed').length
        if (failed > 0) {
          throw new CliProviderError(
            'REVIEW_FAILED',
            `${String(failed)} of ${String(outcomes.length)} review actions failed (run the same command again to retry them: done ones are not sent twice)`,
          )
        }
      } finally {
        await store.close()
      }
    })
}
