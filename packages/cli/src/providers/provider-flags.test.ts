import { InvalidArgumentError } from 'commander'
import { describe, expect, it } from 'vitest'
import {
  checkPageUrl,
  checkPlannedPageUrl,
  chooseProvider,
  formatMoney,
  pageUrlFor,
  parseMoney,
  type ProviderChoice,
  type ProviderFlags,
} from './provider-flags.js'

const defaults: ProviderFlags = { provider: 'mock', bonusBudget: 0, reconcileEvery: 60 }

function platform(flags: Partial<ProviderFlags>): Extract<ProviderChoice, { kind: 'platform' }> {
  const choice = chooseProvider({ ...defaults, ...flags })
  if (choice.kind !== 'platform') throw new Error('expected a platform')
  return choice
}

describe('chooseProvider', () => {
  it('is the mock provider by default', () => {
    expect(chooseProvider(defaults)).toEqual({ kind: 'mock' })
  })

  it('carries every platform flag, money in cents and the period in ms', () => {
    expect(
      chooseProvider({
        provider: 'mturk',
        sandbox: true,
        publicUrl: 'https://tasks.example.org/',
        yes: true,
        budget: 2550,
        bonusBudget: 500,
        reconcileEvery: 0,
      }),
    ).toEqual({
      kind: 'platform',
      type: 'mturk',
      sandbox: true,
      publicUrl: 'https://tasks.example.org/',
      yes: true,
      budgetCents: 2550,
      bonusBudgetCents: 500,
      reconcileEveryMs: 0,
    })
    expect(platform({ provider: 'prolific' })).toMatchObject({
      sandbox: false,
      yes: false,
      budgetCents: undefined,
      reconcileEveryMs: 60_000,
    })
  })

  it.each(['prolific', 'mock'] as const)('refuses --sandbox with %s', (provider) => {
    expect(() => chooseProvider({ ...defaults, provider, sandbox: true })).toThrow(
      expect.objectContaining({
        code: 'PROVIDER_FLAG_INVALID',
        message: expect.stringMatching(/^--sandbox is for --provider mturk/) as string,
      }),
    )
  })

  it('refuses the paid-only flags with the mock provider, naming them', () => {
    expect(() =>
      chooseProvider({ ...defaults, publicUrl: 'https://x.org', budget: 100, bonusBudget: 5 }),
    ).toThrow('--public-url, --budget, --bonus-budget: only with --provider prolific or mturk')
    // --yes and the reconcile period change nothing there, and scripts may always pass --yes.
    expect(chooseProvider({ ...defaults, yes: true, reconcileEvery: 5 })).toEqual({ kind: 'mock' })
  })

  it('refuses an http --public-url for MTurk production, not for its sandbox or Prolific', () => {
    expect(() => platform({ provider: 'mturk', publicUrl: 'http://tasks.example.org' })).toThrow(
      /must be https for MTurk production/,
    )
    expect(
      platform({ provider: 'mturk', sandbox: true, publicUrl: 'http://x.org' }).publicUrl,
    ).toBe('http://x.org')
    expect(platform({ provider: 'prolific', publicUrl: 'http://x.org' }).publicUrl).toBe(
      'http://x.org',
    )
  })
})

describe('page URLs', () => {
  it('refuses what is not an http(s) URL', () => {
    expect(() => checkPageUrl('tasks.example.org', 'prolific', false)).toThrow('not a URL')
    expect(() => checkPageUrl('ftp://x.org', 'prolific', false)).toThrow('http:// or https://')
  })

  it('drops a trailing slash', () => {
    expect(checkPageUrl('https://x.org/task/', 'mturk', false)).toBe('https://x.org/task')
  })

  it('takes --public-url over the router URL', () => {
    const choice = platform({ provider: 'mturk', publicUrl: 'https://public.org' })
    expect(pageUrlFor(choice, 'http://127.0.0.1:3000')).toBe('https://public.org')
    expect(pageUrlFor(platform({ provider: 'prolific' }), 'http://127.0.0.1:3000')).toBe(
      'http://127.0.0.1:3000',
    )
    expect(() => pageUrlFor(platform({ provider: 'mturk' }), 'http://127.0.0.1:3000')).toThrow(
      /https/,
    )
  })

  it('refuses MTurk production on a local (http) router before anything starts', () => {
    expect(() => checkPlannedPageUrl(platform({ provider: 'mturk' }), undefined)).toThrow(
      /a local router serves http/,
    )
    expect(() =>
      checkPlannedPageUrl(platform({ provider: 'mturk' }), 'http://router.example.org'),
    ).toThrow(/must be https/)
    for (const fine of [
      () => checkPlannedPageUrl(platform({ provider: 'mturk' }), 'https://router.example.org'),
      () => checkPlannedPageUrl(platform({ provider: 'mturk', sandbox: true }), undefined),
      () => checkPlannedPageUrl(platform({ provider: 'prolific' }), undefined),
      () => checkPlannedPageUrl({ kind: 'mock' }, undefined),
    ])
      expect(fine).not.toThrow()
  })
})

describe('money', () => {
  it.each([
    ['25', 2500],
    ['25.5', 2550],
    ['25.50', 2550],
    ['0.05', 5],
    [' 3 ', 300],
    ['0', 0],
  ])('parses %j as %d cents', (text, cents) => {
    expect(parseMoney(text)).toBe(cents)
  })

  it.each(['-1', '1.234', '£5', '1,50', '', 'abc', '1e3'])('refuses %j', (text) => {
    expect(() => parseMoney(text)).toThrow(InvalidArgumentError)
  })

  it('formats cents as major units', () => {
    expect([0, 5, 100, 2550, 123456].map(formatMoney)).toEqual([
      '0.00',
      '0.05',
      '1.00',
      '25.50',
      '1234.56',
    ])
  })
})
