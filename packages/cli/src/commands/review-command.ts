import { Command, Option } from 'commander'
import type { CommandIo } from '../command-io.js'
import { dataDirOption, openExistingDatabase } from '../data-dir.js'
import { formatTally, interactiveReview } from '../operator/interactive-review.js'
import { linePrompter } from '../operator/line-prompter.js'
import { CliProviderError } from '../providers/provider-error.js'
import {
  formatReviewOutcomes,
  hasReviewAction,
  interactiveFlagsProblem,
  reviewActionFrom,
  type ReviewFlags,
} from '../providers/review-action.js'
import { createOperatorActions, findTask } from '@faust/backend'
import type { Store } from '@faust/backend/store'

interface ReviewCommandFlags extends ReviewFlags {
  dataDir: string
  json?: boolean
  interactive?: boolean
}

/**
 * `faust review <task>`: approve, reject, soft-reject or pay a bonus, on the
 * platform the task's newest published run used (only Faust's own records
 * for a task run with the mock provider). Every outcome is printed; any
 * failure exits 1 after the others were tried. With no action flag on a
 * terminal (or with `--interactive`), it walks the units awaiting review one
 * at a time. Every action goes through the operator actions (actor `cli`).
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
    .addOption(
      new Option(
        '--interactive',
        'review unit by unit, reading answers from stdin even when it is not a terminal',
      ),
    )
    .addOption(dataDirOption())
    .action(async (taskName: string, flags: ReviewCommandFlags) => {
      const interactive =
        flags.interactive === true || (!hasReviewAction(flags) && io.stdin?.isTTY === true)
      if (interactive) {
        const problem = interactiveFlagsProblem(flags)
        if (problem !== null) throw new CliProviderError('REVIEW_ARGS_INVALID', problem)
        await reviewInteractively(io, taskName, flags.dataDir)
        return
      }
      const action = reviewActionFrom(flags)
      const store = await openExistingDatabase(flags.dataDir)
      try {
        const actions = createOperatorActions({ store, env: process.env, actor: 'cli' })
        const { outcomes, currency } = await actions.reviewWithCurrency({ taskName, action })
        io.stdout.write(
          flags.json === true
            ? `${JSON.stringify(outcomes)}\n`
            : formatReviewOutcomes(outcomes, action, currency),
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

/** The interactive walk over the task's units awaiting review, and its summary. */
async function reviewInteractively(
  io: CommandIo,
  taskName: string,
  dataDir: string,
): Promise<void> {
  const input = io.stdin
  if (input === undefined) {
    throw new CliProviderError('REVIEW_ARGS_INVALID', 'no input to read answers from')
  }
  const store: Store = await openExistingDatabase(dataDir)
  const prompter = linePrompter({ input, output: io.stdout, stopped: io.stopSignal })
  try {
    await findTask(store, taskName)
    const tally = await interactiveReview({
      store,
      taskName,
      actions: createOperatorActions({ store, env: process.env, actor: 'cli' }),
      prompter,
      output: io.stdout,
    })
    io.stdout.write(formatTally(tally))
    if (tally.failed > 0) {
      throw new CliProviderError(
        'REVIEW_FAILED',
        `${String(tally.failed)} review actions failed (review again to retry them: done ones are not sent twice)`,
      )
    }
  } finally {
    prompter.close()
    await store.close()
  }
}
