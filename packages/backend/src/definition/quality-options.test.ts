import { describe, expect, it } from 'vitest'
import { defineTask, type TaskOptions } from './define-task.js'
import { referenceNeedsGold } from './quality-options.js'

const minimal: TaskOptions = { name: 'label', page: 'dist', data: [{ text: 'a' }] }
const validate = (): boolean => true
const screening = { data: [{ q: 1 }], validate, maxUnits: 3 }
const golds = { units: [{ g: 1 }], check: validate, maxUnits: 3 }

describe('defineTask: screening and golds', () => {
  it('applies the defaults, and allowedConcurrent 1 when unset', () => {
    const screened = defineTask({ ...minimal, screening })
    expect(screened).toMatchObject({
      allowedConcurrent: 1,
      screening: {
        passedQualification: 'label-screening-passed',
        blockQualification: 'label-screening-failed',
        maxUnits: 3,
      },
      golds: undefined,
    })
    const gold = defineTask({ ...minimal, golds })
    expect(gold).toMatchObject({
      allowedConcurrent: 1,
      golds: { qualificationBase: 'label', minGolds: 1, maxIncorrect: 0, maxUnits: 3 },
    })
    expect(gold.golds?.needsGold).toBe(referenceNeedsGold)
    expect(defineTask(minimal)).toMatchObject({ allowedConcurrent: 0, screening: undefined })
  })

  it('gives each worker the listed golds in order, starting over after the last', () => {
    const task = defineTask({ ...minimal, golds: { ...golds, units: ['g0', 'g1'] } })
    const worker = { id: 'w', name: 'w', providerType: 'mock' }
    const at = (correct: number, wrong: number): unknown =>
      task.golds?.getGold(worker, { completed: 0, correct, wrong, minGolds: 1 })
    expect([at(0, 0), at(1, 0), at(1, 1), at(3, 0)]).toEqual(['g0', 'g1', 'g0', 'g1'])
  })

  it.each<[string, Partial<TaskOptions>, RegExp]>([
    ['both screening and golds', { screening, golds }, /cannot be used together/],
    [
      'allowedConcurrent 2 with screening',
      { screening, allowedConcurrent: 2 },
      /allowedConcurrent 1/,
    ],
    ['allowedConcurrent 0 with golds', { golds, allowedConcurrent: 0 }, /allowedConcurrent 1/],
    ['no screening maxUnits', { screening: { data: [1], validate } as never }, /maxUnits/],
    ['screening maxUnits 0', { screening: { ...screening, maxUnits: 0 } }, /maxUnits/],
    ['screening data a string', { screening: { ...screening, data: 'x' as never } }, /data/],
    ['an empty screening list', { screening: { ...screening, data: [] } }, /screening\.data/],
    ['no validate', { screening: { data: [1], maxUnits: 1 } as never }, /validate/],
    [
      'the same passed and block qualification',
      { screening: { ...screening, passedQualification: 'q', blockQualification: 'q' } },
      /must differ/,
    ],
    ['golds with neither units nor getGold', { golds: { check: validate, maxUnits: 1 } }, /either/],
    ['golds with both units and getGold', { golds: { ...golds, getGold: () => ({}) } }, /either/],
    ['an empty gold list', { golds: { ...golds, units: [] } }, /golds\.units/],
    ['negative maxIncorrect', { golds: { ...golds, maxIncorrect: -1 } }, /maxIncorrect/],
    [
      'a bad qualification base',
      { golds: { ...golds, qualificationBase: 'a b' } },
      /qualificationBase/,
    ],
    ['an unknown key', { golds: { ...golds, minGold: 2 } as never }, /minGold/],
  ])('refuses %s', (_case, options, message) => {
    expect(() => defineTask({ ...minimal, ...options })).toThrow(message)
  })
})

describe('referenceNeedsGold', () => {
  it('asks for golds until minGolds are right, then about one in twenty at 100 units', () => {
    const needs = (completed: number, correct: number, wrong = 0): boolean =>
      referenceNeedsGold({ completed, correct, wrong, minGolds: 2 })
    expect(needs(0, 0)).toBe(true)
    expect(needs(5, 1)).toBe(true)
    expect(needs(5, 2)).toBe(false)
    // ceil(log10(101)^2.2) - 1 = ceil(4.6) - 1: four golds beyond minGolds at a hundred units.
    expect(needs(100, 5)).toBe(true)
    expect(needs(100, 6)).toBe(false)
    // A wrong gold must be made up by a right one.
    expect(needs(100, 6, 1)).toBe(true)
    // …and eleven at a thousand (ceil(log10(1001)^2.2) - 1 = ceil(11.2) - 1).
    expect(needs(1000, 2 + 10)).toBe(true)
    expect(needs(1000, 2 + 11)).toBe(false)
  })
})
