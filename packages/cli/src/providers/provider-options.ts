import { type Command, Option } from 'commander'
import { parseNonNegativeInteger } from '../parse-number.js'
import { PROVIDER_TYPES, parseMoney } from './provider-flags.js'

/**
 * Adds `faust run`'s crowd platform flags (docs/cli.md, "Real workers").
 * Credentials are deliberately not among them: PROLIFIC_API_TOKEN and the
 * AWS credentials come from the environment only, so they never land in a
 * shell history, a process list or a log of the options.
 */
export function addProviderOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--provider <type>',
        'where workers come from: mock (links printed here), prolific or mturk',
      )
        .env('FAUST_PROVIDER')
        .choices(PROVIDER_TYPES)
        .default('mock'),
    )
    .addOption(
      new Option('--sandbox', "MTurk's sandbox (no real money); only with --provider mturk"),
    )
    .addOption(
      new Option(
        '--public-url <url>',
        "the task page as workers reach it (default: the router's URL); https for MTurk production",
      ),
    )
    .addOption(new Option('--yes', 'publish without asking (scripts); the cost is still printed'))
    .addOption(
      new Option(
        '--budget <amount>',
        "refuse to publish if the quote's total is over this (platform currency, e.g. 25.50)",
      ).argParser(parseMoney),
    )
    .addOption(
      new Option('--bonus-budget <amount>', 'money set aside for bonuses, quoted with its fees')
        .argParser(parseMoney)
        .default(0, '0'),
    )
    .addOption(
      new Option(
        '--reconcile-every <seconds>',
        "compare the run with the platform's view this often (0 = never)",
      )
        .argParser(parseNonNegativeInteger)
        .default(60),
    )
}
