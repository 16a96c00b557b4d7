import { describe, expect, it } from 'vitest'
import { neutraliseFormula } from './neutralise-formula.js'

describe('neutraliseFormula', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
  ])('prefixes %j with a quote', (text, expected) => {
    expect(neutraliseFormula(text)).toBe(expected)
  })

  it.each(['plain', '', 'a=b', ' =1', "'quoted", '{"a":1}', 'naïve'])(
    'leaves %j as it is',
    (text) => {
      expect(neutraliseFormula(text)).toBe(text)
    },
  )
})
