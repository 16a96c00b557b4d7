import { Command } from 'commander'
import type { CommandIo } from '../command-io.js'
import { dataDirOption, openExistingDatabase } from '../data-dir.js'
import { parseInteger } from '../parse-number.js'
import { createOption } from '../qualify/create-option.js'
import { describeWorker, formatGrants, listGrants } from '../qualify/list-grants.js'
import { providerOption } from '../qualify/provider-option.js'
import { actOnWorker, reportPlatform } from '../operator/act-on-worker.js'

interface WorkerFlags {
  dataDir: string
  provider?: string
}

interface GrantFlags extends WorkerFlags {
  create: boolean
}

interface ListFlags extends WorkerFlags {
  worker?: string
  qualification?: string
}

/**
 * `faust qualify grant|revoke|list`: local qualifications that tasks require
 * of workers; grants and revocations go through the operator actions
 * (audited `worker.qualify` / `worker.disqualify`, mirrored on the platform).
 */
export function qualifyCommand(io: CommandIo): Command {
  const grant = new Command('grant')
    .description(
      'Grant a qualification to a worker (--create: one never seen, to qualify them ahead)',
    )
    .argument('<worker>', 'worker name, as stored (w1_sandbox) or as in the page URL (w1)')
    .argument('<qualification>', 'qualification name (created if new)')
    .argument('[value]', 'integer value (a negative one after --)', parseInteger, 1)
    .addOption(dataDirOption())
    .addOption(providerOption())
    .addOption(createOption())
    // Three arguments and the flags: read them from the command, not as four parameters.
    .action(async function (this: Command) {
      const [worker, qualification, value] = this.processedArgs as [string, string, number]
      const flags = this.opts<GrantFlags>()
      const report = await actOnWorker(
        {
          dataDir: flags.dataDir,
          worker: { name: worker, providerType: flags.provider },
          mode: { kind: 'grant', create: flags.create },
        },
        (actions, found) => actions.qualifyWorker({ workerId: found.id, qualification, value }),
      )
      io.stdout.write(
        `granted '${qualification}' = ${String(value)} to ${describeWorker(report.worker)}\n`,
      )
      reportPlatform(io, report)
    })

  const revoke = new Command('revoke')
    .description('Revoke a qualification from a worker')
    .argument('<worker>', 'worker name, as stored (w1_sandbox) or as in the page URL (w1)')
    .argument('<qualification>', 'qualification name')
    .addOption(dataDirOption())
    .addOption(providerOption())
    .action(async (worker: string, qualification: string, flags: WorkerFlags) => {
      const report = await actOnWorker(
        {
          dataDir: flags.dataDir,
          worker: { name: worker, providerType: flags.provider },
          mode: { kind: 'revoke' },
        },
        (actions, found) => actions.disqualifyWorker({ workerId: found.id, qualification }),
      )
      const name = describeWorker(report.worker)
      io.stdout.write(
        report.changed
          ? `revoked '${qualification}' from ${name}\n`
          : `${name} did not have '${qualification}': nothing to revoke\n`,
      )
      reportPlatform(io, report)
    })

  const list = new Command('list')
    .description('List granted qualifications')
    .option('--worker <worker>', "only this worker's")
    .option('--qualification <name>', "only this qualification's")
    .addOption(dataDirOption())
    .addOption(providerOption())
    .action(async (flags: ListFlags) => {
      const store = await openExistingDatabase(flags.dataDir)
      try {
        const grants = await listGrants(store, {
          worker:
            flags.worker === undefined
              ? undefined
              : { name: flags.worker, providerType: flags.provider },
          qualification: flags.qualification,
        })
        io.stdout.write(grants.length === 0 ? 'no qualifications granted\n' : formatGrants(grants))
      } finally {
        await store.close()
      }
    })

  return new Command('qualify')
    .description('Grant, revoke and list the qualifications workers hold')
    .addCommand(grant)
    .addCommand(revoke)
    .addCommand(list)
}
