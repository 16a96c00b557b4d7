import { Command, Option } from 'commander'
import type { CommandIo } from '../command-io.js'
import { dataDirOption, openExistingDatabase } from '../data-dir.js'
import { formatAudit, listAudit } from '../audit/list-audit.js'

interface AuditFlags {
  dataDir: string
  task?: string
  run?: string
  json?: boolean
}

/**
 * `faust audit`: the operators' audit log (reviews, blocks, qualifications,
 * run changes from the CLI, the console and runs), oldest first.
 */
export function auditCommand(io: CommandIo): Command {
  return new Command('audit')
    .description(
      'Show the audit log: every operator action (review, block, qualify, run change), who did it, and what came of it.',
    )
    .addOption(new Option('--task <name>', "only this task's entries"))
    .addOption(new Option('--run <id>', "only this run's entries"))
    .addOption(new Option('--json', 'one JSON array instead of a table'))
    .addOption(dataDirOption())
    .action(async (flags: AuditFlags) => {
      const store = await openExistingDatabase(flags.dataDir)
      try {
        const entries = await listAudit(store, { taskName: flags.task, taskRunId: flags.run })
        if (flags.json === true) io.stdout.write(`${JSON.stringify(entries, null, 2)}\n`)
        else io.stdout.write(entries.length === 0 ? 'no audit entries\n' : formatAudit(entries))
      } finally {
        await store.close()
      }
    })
}
