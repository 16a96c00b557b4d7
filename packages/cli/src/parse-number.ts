import { InvalidArgumentError } from 'commander'

/** Parses a non-negative integer option, with a message naming what was wrong. */
export function parseNonNegativeInteger(value: string): number {
  if (!/^\d+$/.test(value.trim()))
    throw new InvalidArgumentError(`expected a whole number, got '${value}'`)
  return Number(value)
}

/** Parses a boolean environment value (`1`, `true`, `yes`, or `0`, `false`, `no`). */
export function parseBooleanFlag(value: string | boolean): boolean {
  if (typeof value === 'boolean') return value
  const normalised = value.trim().toLowerCase()
  if (['1', 'true', 'yes', ''].includes(normalised)) return true
  if (['0', 'false', 'no'].includes(normalised)) return false
  throw new InvalidArgumentError(`expected true or false, got '${value}'`)
}

/** Parses a whole number that may be negative (a qualification value). */
export function parseInteger(value: string): number {
  const trimmed = value.trim()
  if (!/^-?\d+$/.test(trimmed) || !Number.isSafeInteger(Number(trimmed))) {
    throw new InvalidArgumentError(`expected a whole number, got '${value}'`)
  }
  return Number(trimmed)
}
