import { describe, expect, it } from 'vitest'
import { formatTable } from './table.js'

describe('formatTable', () => {
  it('pads every column to its widest cell, without trailing spaces', () => {
    expect(
      formatTable(
        ['WORKER', 'VALUE'],
        [
          ['w1_sandbox', '1'],
          ['a', '10'],
        ],
      ),
    ).toBe('WORKER      VALUE\nw1_sandbox  1\na           10\n')
  })

  it('shows control characters escaped, so that names cannot drive the terminal', () => {
    expect(formatTable(['NAME'], [['evil\u001B[2J\n']])).toBe('NAME\nevil\\u001b[2J\\u000a\n')
  })
})
