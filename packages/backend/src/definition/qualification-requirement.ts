/** The reference's qualification comparators (`mephisto/utils/qualifications.py`). */
export const COMPARATORS = [
  'GreaterThan',
  'GreaterThanOrEqualTo',
  'LessThan',
  'LessThanOrEqualTo',
  'EqualTo',
  'NotEqualTo',
  'Exists',
  'DoesNotExist',
  'In',
  'NotIn',
] as const

/** One of {@link COMPARATORS}. */
export type Comparator = (typeof COMPARATORS)[number]

/** A local qualification a worker must meet to be given work. */
export interface QualificationRequirement {
  readonly qualificationName: string
  readonly comparator: Comparator
  /** A number for the ordering comparators, a list for `In`/`NotIn`; unused by `Exists`/`DoesNotExist`. */
  readonly value?: number | readonly number[] | undefined
  /** Providers this applies to; all when omitted. */
  readonly applicableProviders?: readonly string[] | undefined
}

/**
 * Whether a worker whose granted value is `granted` (undefined: not granted)
 * meets `requirement`. `Exists`/`DoesNotExist` test presence only; the others
 * need a grant and compare its value.
 */
export function meetsRequirement(
  requirement: QualificationRequirement,
  granted: number | undefined,
): boolean {
  const { comparator, value } = requirement
  if (comparator === 'Exists') return granted !== undefined
  if (comparator === 'DoesNotExist') return granted === undefined
  if (granted === undefined) return false
  if (comparator === 'In' || comparator === 'NotIn') {
    const list = Array.isArray(value) ? value : [value]
    return list.includes(granted) === (comparator === 'In')
  }
  const target = typeof value === 'number' ? value : Number.NaN
  switch (comparator) {
    case 'GreaterThan':
      return granted > target
    case 'GreaterThanOrEqualTo':
      return granted >= target
    case 'LessThan':
      return granted < target
    case 'LessThanOrEqualTo':
      return granted <= target
    case 'EqualTo':
      return granted === target
    case 'NotEqualTo':
      return granted !== target
  }
}
