import { Command, Option } from 'commander'
import type { CommandIo } from '../command-io.js'
import { dataDirOption, openExistingDatabase } from '../data-dir.js'
import { formatRuns, listRuns } from '../runs/list-runs.js'

interface RunsFlags {
  dataDir: string
  json?: boolean
}

/** `faust runs` (or `faust status`): every run in the data folder and its units by status. */
export function runsCommand(io: CommandIo): Command {
  return new Command('runs')
    .alias('status')
    .description(
      'List the runs in the data folder: task, start, end (or unfinished: `faust run` resumes it), units by status.',
    )
    .addOption(new Option('--json', 'one JSON array instead of a table'))
    .addOption(dataDirOption())
    .action(async (flags: RunsFlags) => {
      const store = await openExistingDatabase(flags.dataDir)
      try {
        const runs = await listRuns(store)
        io.stdout.write(
          flags.json === true ? `${JSON.stringify(runs, null, 2)}\n` : formatRuns(runs),
        )
      } finally {
        await store.close()
      }
    })
}
