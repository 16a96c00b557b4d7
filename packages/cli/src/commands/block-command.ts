import { Command, Option } from 'commander'
import { DEFAULT_BLOCK_QUALIFICATION } from '@faust/backend'
import type { CommandIo } from '../command-io.js'
import { dataDirOption } from '../data-dir.js'
import { createOption } from '../qualify/create-option.js'
import { describeWorker } from '../qualify/list-grants.js'
import { providerOption } from '../qualify/provider-option.js'
import { actOnWorker, reportPlatform } from '../operator/act-on-worker.js'

interface BlockFlags {
  dataDir: string
  provider?: string
  qualification: string
  revoke: boolean
  create: boolean
}

/**
 * `faust block <worker>`: grants (or with `--revoke` removes) the block
 * qualification, through the operator actions (audited `worker.block` /
 * `worker.unblock`, mirrored on the worker's platform).
 */
export function blockCommand(io: CommandIo): Command {
  return new Command('block')
    .description(
      "Block a worker from every task: grant the tasks' block qualification (--revoke unblocks)",
    )
    .argument('<worker>', 'worker name, as stored (w1_sandbox) or as in the page URL (w1)')
    .addOption(new Option('--revoke', 'unblock the worker instead').default(false))
    .addOption(
      new Option(
        '--qualification <name>',
        "the qualification tasks refuse (defineTask's blockQualification)",
      ).default(DEFAULT_BLOCK_QUALIFICATION),
    )
    .addOption(dataDirOption())
    .addOption(providerOption())
    .addOption(createOption())
    .action(async (worker: string, flags: BlockFlags) => {
      const target = {
        dataDir: flags.dataDir,
        worker: { name: worker, providerType: flags.provider },
        blockQualification: flags.qualification,
      }
      if (flags.revoke) {
        const report = await actOnWorker(
          { ...target, mode: { kind: 'revoke' } },
          (actions, found) => actions.unblockWorker({ workerId: found.id }),
        )
        const name = describeWorker(report.worker)
        io.stdout.write(
          report.changed
            ? `unblocked ${name} ('${flags.qualification}' revoked)\n`
            : `${name} was not blocked ('${flags.qualification}' not granted)\n`,
        )
        reportPlatform(io, report)
        return
      }
      const report = await actOnWorker(
        { ...target, mode: { kind: 'grant', create: flags.create } },
        (actions, found) => actions.blockWorker({ workerId: found.id }),
      )
      io.stdout.write(
        `blocked ${describeWorker(report.worker)}: '${flags.qualification}' granted\n`,
      )
      reportPlatform(io, report)
    })
}
