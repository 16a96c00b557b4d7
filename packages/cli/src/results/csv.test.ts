import { parse as parseCsv } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { csvCell, csvField, csvRecord } from './csv.js'

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    ['crlf\r\n', '"crlf\r\n"'],
    [' padded ', '" padded "'],
    ['tab\t', '"tab\t"'],
    ['naïve — ünïcode', 'naïve — ünïcode'],
  ])('quotes %j as %j', (value, expected) => {
    expect(csvField(value)).toBe(expected)
  })
})

describe('csvRecord', () => {
  it('joins quoted fields with commas and ends with CRLF', () => {
    expect(csvRecord(['a', 'b,c', ''])).toBe('a,"b,c",\r\n')
  })

  it('round-trips through an independent RFC 4180 parser', () => {
    const rows = [
      ['id', 'text', 'json'],
      ['1', 'comma, quote " and\nnewline', '{"a":"b, \\"c\\""}'],
      ['2', '', '  spaces  '],
      ['3', '\r\n', '""'],
    ]
    const text = rows.map(csvRecord).join('')
    expect(parseCsv(text, { relaxQuotes: false, relaxColumnCount: false })).toEqual(rows)
  })
})

describe('csvCell', () => {
  it('prints scalars, leaves missing values empty, and writes nested values as JSON', () => {
    expect(csvCell('text')).toBe('text')
    expect(csvCell(0)).toBe('0')
    expect(csvCell(1.5)).toBe('1.5')
    expect(csvCell(false)).toBe('false')
    expect(csvCell(null)).toBe('')
    expect(csvCell(undefined)).toBe('')
    expect(csvCell({ label: 'x', n: [1, 2] })).toBe('{"label":"x","n":[1,2]}')
    expect(csvCell([])).toBe('[]')
  })

  it('never writes worker text as a spreadsheet formula; numbers stay numbers', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`'=HYPERLINK("http://x","y")`)
    expect(csvCell('-1')).toBe("'-1")
    expect(csvCell(-1)).toBe('-1')
  })
})
