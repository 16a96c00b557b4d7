import { Option } from 'commander'

/** `--provider`: narrows worker lookups to one provider, and names the provider of new workers. */
export function providerOption(): Option {
  return new Option(
    '--provider <type>',
    "the workers' provider type (lookups: any; new workers: mock)",
  )
}
