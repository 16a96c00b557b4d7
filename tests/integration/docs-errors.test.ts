import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CloseCode, ErrorCode } from '@faust/protocol'
import * as backend from '@faust/backend'
import { ConsoleErrorCode } from '@faust/console'

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

describe('docs/errors.md, backend errors', () => {
  const rows = [...page.matchAll(/^\|\s*`([A-Za-z]+Error)`\s*\|\s*`([A-Z_]+)`\s*\|/gm)].map(
    (match) => ({ className: match[1]!, code: match[2]! }),
  )

  it('documents every backend error code once, and nothing that is not one', () => {
    expect(rows.map((row) => row.code).sort()).toEqual(
      Object.values(backend.BackendErrorCode).sort(),
    )
  })

  it('names, for each code, an exported error class', () => {
    const exported = backend as unknown as Record<string, unknown>
    const notClasses = rows
      .map((row) => row.className)
      .filter((name) => {
        const value = exported[name]
        return typeof value !== 'function' || !(value.prototype instanceof Error)
      })
    expect(notClasses).toEqual([])
  })
})

describe('docs/errors.md, console errors', () => {
  it('documents every console code once, with its HTTP status', () => {
    const rows = [...page.matchAll(/^\|\s*([\d/]{3,7})\s*\|\s*`(CONSOLE_[A-Z_]+)`\s*\|/gm)].map(
      (match) => match[2],
    )
    expect(rows.sort()).toEqual(Object.values(ConsoleErrorCode).sort())
  })
})
