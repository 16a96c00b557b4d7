import { Command, Option } from 'commander'
import { DEFAULT_BLOCK_QUALIFICATION } from '@faust/backend'
import type { CommandIo } from '../command-io.js'
import { dataDirOption } from '../data-dir.js'
import { createOption } from '../qualify/create-option.js'
import { describeWorker } from '../qualify/list-grants.js'
import { providerOption } from '../qualify/provider-option.js'
import { mirror } from '../qualify/mirror-on-platform.js'
import { grantQualification, revokeQualification } from '../qualify/worker-grants.js'

interface BlockFlags {
  dataDir: string
  provider?: string
  qualification: string
  revoke: boolean
  create: boolean
}

/** `faust block <worker>`: grants (or with `--revoke` removes) the block qualification. */
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
      const change = {
        dataDir: flags.dataDir,
        worker: { name: worker, providerType: flags.provider },
        qualification: flags.qualification,
      }
      if (flags.revoke) {
        const result = await revokeQualification(change)
        io.stdout.write(
          result.revoked
            ? `unblocked ${result.worker} ('${flags.qualification}' revoked)\n`
            : `${result.worker} was not blocked ('${flags.qualification}' not granted)\n`,
        )
        await mirror(io, result.stored, { kind: 'unblock' })
        return
      }
      const granted = await grantQualification({ ...change, value: 1, create: flags.create })
      io.stdout.write(
        `blocked ${describeWorker(granted)}: '${granted.qualificationName}' granted\n`,
      )
      await mirror(io, granted, { kind: 'block' })
    })
}
