import { describe, expect, it } from 'vitest'
import { meetsRequirement, type Comparator } from './qualification-requirement.js'

const check = (
  comparator: Comparator,
  value: number | number[] | undefined,
  granted: number | undefined,
): boolean => meetsRequirement({ qualificationName: 'q', comparator, value }, granted)

describe('meetsRequirement', () => {
  it.each([
    ['GreaterThan', 3, 4, true],
    ['GreaterThan', 3, 3, false],
    ['GreaterThanOrEqualTo', 3, 3, true],
    ['GreaterThanOrEqualTo', 3, 2, false],
    ['LessThan', 3, 2, true],
    ['LessThan', 3, 3, false],
    ['LessThanOrEqualTo', 3, 3, true],
    ['LessThanOrEqualTo', 3, 4, false],
    ['EqualTo', 1, 1, true],
    ['EqualTo', 1, 0, false],
    ['NotEqualTo', 1, 0, true],
    ['NotEqualTo', 1, 1, false],
    ['In', [1, 2], 2, true],
    ['In', [1, 2], 3, false],
    ['NotIn', [1, 2], 3, true],
    ['NotIn', [1, 2], 1, false],
  ] as const)('%s %j with granted %j → %s', (comparator, value, granted, expected) => {
    expect(check(comparator, value as number | number[], granted)).toBe(expected)
  })

  it('tests presence only for Exists and DoesNotExist, whatever the value', () => {
    expect(check('Exists', undefined, 0)).toBe(true)
    expect(check('Exists', undefined, undefined)).toBe(false)
    expect(check('DoesNotExist', undefined, 0)).toBe(false)
    expect(check('DoesNotExist', undefined, undefined)).toBe(true)
  })

  it('requires a grant for every comparing comparator', () => {
    for (const comparator of [
      'GreaterThan',
      'LessThan',
      'EqualTo',
      'NotEqualTo',
      'In',
      'NotIn',
    ] as const) {
      expect(check(comparator, comparator.endsWith('In') ? [1] : 1, undefined)).toBe(false)
    }
  })
})
