import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CloseCode, ErrorCode } from '@faust/protocol'

const page = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8')

describe('docs/errors.md', () => {
  it('documents every error code, and nothing that is not one', () => {
    const documented = [...page.matchAll(/^\|\s*`([A-Z_]+)`\s*\|/gm)].map((match) => match[1])
    expect(documented.sort()).toEqual(Object.values(ErrorCode).sort())
  })

  it('documents every close code under its name', () => {
    const documented = [...page.matchAll(/^\|\s*(\d{4})\s*\|\s*`([A-Z_]+)`\s*\|/gm)].map(
      (match) => [match[2], Number(match[1])],
    )
    expect(Object.fromEntries(documented)).toEqual(CloseCode)
  })
})
