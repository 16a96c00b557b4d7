import { resolve } from 'node:path'
import { Command, Option } from 'commander'
import type { CommandIo } from '../command-io.js'

interface MephistoServerFlags {
  force: boolean
}

/** `faust mephisto-server <dir>`: a folder for Mephisto's `architect.server_source_path`. */
export function mephistoServerCommand(io: CommandIo): Command {
  return new Command('mephisto-server')
    .description(
      "Write a folder that makes Mephisto's own backend use Faust's router: set Mephisto's architect.server_source_path to it.",
    )
    .argument('<dir>', 'the folder to write (created if missing)')
    .addOption(new Option('--force', 'write into a folder that already holds files').default(false))
    .action(async (dir: string, flags: MephistoServerFlags) => {
      // Loaded when used: the bundler is needed by this command alone.
      const { writeMephistoFolder } = await import('../mephisto/write-mephisto-folder.js')
      const folder = resolve(dir)
      await writeMephistoFolder(folder, { force: flags.force })
      io.stdout.write(
        `wrote ${folder}\n` +
          `use it in Mephisto with: mephisto.architect.server_source_path=${folder}\n`,
      )
    })
}
