import { Command, Option } from 'commander'
import { nextSteps, scaffold, TEMPLATE_NAMES, TEMPLATES } from 'create-faust'
import type { CommandIo } from '../command-io.js'

interface InitFlags {
  template: string
  name?: string
}

/** `faust init [dir]`: a task project from one of create-faust's templates (`npm create faust`). */
export function initCommand(io: CommandIo): Command {
  return new Command('init')
    .description(
      'Create a task project (package.json, task, page, data, a bot and a test) from a template, as `npm create faust` does.',
    )
    .argument('[dir]', 'the project folder: new or empty', '.')
    .addOption(
      new Option(
        '--template <name>',
        TEMPLATE_NAMES.map((name) => `${name}: ${TEMPLATES[name]}`).join('; '),
      )
        .choices(TEMPLATE_NAMES)
        .default(TEMPLATE_NAMES[0]),
    )
    .addOption(
      new Option('--name <name>', "the package's and the task's name (default: the folder's name)"),
    )
    .action(async (dir: string, flags: InitFlags) => {
      const result = await scaffold({ dir, template: flags.template, name: flags.name })
      io.stdout.write(nextSteps(result))
    })
}
