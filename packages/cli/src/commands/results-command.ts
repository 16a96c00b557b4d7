import { writeFile } from 'node:fs/promises'
import { Command, Option } from 'commander'
import { findTask } from '@faust/backend'
import type { CommandIo } from '../command-io.js'
import { dataDirOption, openExistingDatabase } from '../data-dir.js'
import {
  RESULT_FORMATS,
  formatSubmissions,
  type ResultFormat,
} from '../results/format-submissions.js'
import { plural } from '../plural.js'

interface ResultsFlags {
  dataDir: string
  format: ResultFormat
  out?: string
  includeQa?: boolean
}

/** `faust results <task-name>`: every submission of a task, over all its runs. */
export function resultsCommand(io: CommandIo): Command {
  return new Command('results')
    .description(
      "Export every submission of a task (all its runs), with the worker and the unit's data.",
    )
    .argument('<task-name>', "the task's name (defineTask's `name`)")
    .addOption(
      new Option(
        '--format <format>',
        'JSON Lines, or CSV with a header row (nested values as JSON)',
      )
        .choices(RESULT_FORMATS)
        .default('jsonl'),
    )
    .addOption(new Option('--out <file>', 'write to this file instead of stdout'))
    .addOption(
      new Option(
        '--include-qa',
        'also export screening and gold submissions (unitKind "screening" or "gold")',
      ),
    )
    .addOption(dataDirOption())
    .action(async (taskName: string, flags: ResultsFlags) => {
      const store = await openExistingDatabase(flags.dataDir)
      try {
        await findTask(store, taskName)
        const submissions = await store.results.exportSubmissions({
          taskName,
          includeQualityControl: flags.includeQa === true,
        })
        const text = formatSubmissions(submissions, flags.format)
        if (flags.out === undefined) {
          io.stdout.write(text)
          return
        }
        await writeFile(flags.out, text)
        io.stderr.write(
          `faust results: wrote ${plural(submissions.length, 'submission')} to ${flags.out}\n`,
        )
      } finally {
        await store.close()
      }
    })
}
