import { InvalidArgumentError, Option } from 'commander'

/** Parses a non-negative integer option, with a message naming what was wrong. */
export function parseNonNegativeInteger(value: string): number {
  if (!/^\d+$/.test(value.trim()))
    throw new InvalidArgumentError(`expected a whole number, got '${value}'`)
  return Number(value)
}

/** A non-negative whole-number option that an environment variable can also set. */
export function integerOption(flags: string, description: string, env: string): Option {
  return new Option(flags, description).env(env).argParser(parseNonNegativeInteger)
}

/** Parses a boolean environment value (`1`, `true`, `yes`, or `0`, `false`, `no`). */
export function parseBooleanFlag(value: string): boolean {
  const normalised = value.trim().toLowerCase()
  if (['1', 'true', 'yes', ''].includes(normalised)) return true
  if (['0', 'false', 'no'].includes(normalised)) return false
  throw new InvalidArgumentError(`expected true or false, got '${value}'`)
}

/**
 * A boolean flag that an environment variable can also set, to true or to
 * false. Commander's plain boolean options take any set variable as true
 * (`FAUST_X=0` turned the flag on) and hand a custom parser `undefined`, so
 * the flag takes an optional value: `--flag` alone is `true`, `--flag no`
 * and `FAUST_X=0` are false.
 */
export function booleanOption(flags: string, description: string, env: string): Option {
  return new Option(`${flags} [yes|no]`, description)
    .env(env)
    .preset('true')
    .argParser(parseBooleanFlag)
    .default(false)
}

/** Parses a whole number that may be negative (a qualification value). */
export function parseInteger(value: string): number {
  const trimmed = value.trim()
  if (!/^-?\d+$/.test(trimmed) || !Number.isSafeInteger(Number(trimmed))) {
    throw new InvalidArgumentError(`expected a whole number, got '${value}'`)
  }
  return Number(trimmed)
}
