import { describe, expect, it } from 'vitest'
import { buildContentSecurityPolicy, parsePolicy } from './content-security-policy.js'

describe('buildContentSecurityPolicy', () => {
  it('appends extra sources once, creates missing directives, and replaces a lone none', () => {
    const policy = buildContentSecurityPolicy({
      csp: undefined,
      cspExtra:
        "script-src 'self' https://cdn.example.com; object-src https://x.example; Report-To g",
      frameAncestors: [],
    })
    const parsed = parsePolicy(policy)
    expect(parsed.get('script-src')).toEqual([
      "'self'",
      "'unsafe-inline'",
      "'unsafe-eval'",
      'https://cdn.example.com',
    ])
    expect(parsed.get('object-src')).toEqual(['https://x.example'])
    expect(parsed.get('report-to')).toEqual(['g'])
    expect(parsed.get('frame-ancestors')).toEqual(["'self'"])
  })

  it('sends a replacement as given, and nothing for an empty one', () => {
    expect(
      buildContentSecurityPolicy({
        csp: " default-src 'none' ;",
        cspExtra: '',
        frameAncestors: [],
      }),
    ).toBe("default-src 'none'")
    expect(
      buildContentSecurityPolicy({ csp: '  ', cspExtra: 'img-src x', frameAncestors: [] }),
    ).toBe('')
  })

  it('refuses a directive name that is not one', () => {
    expect(() => parsePolicy('script_src x')).toThrow(RangeError)
  })
})
