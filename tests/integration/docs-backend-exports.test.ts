// docs/backend.md lists every export of @faust/backend and @faust/backend/store:
// a name added to or dropped from an index must be added to or dropped from the docs.
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'

const root = new URL('../../', import.meta.url)

/** Every name an index re-exports, values and types alike. */
async function exportedNames(path: string): Promise<string[]> {
  const source = await readFile(new URL(path, root), 'utf8')
  const names: string[] = []
  for (const match of source.matchAll(/export (?:type )?\{([^}]*)\}/g)) {
    for (const name of (match[1] ?? '').split(',')) {
      const trimmed = name.trim()
      if (trimmed !== '') names.push(trimmed)
    }
  }
  return names.sort()
}

/** The names in backticks of a part of the Public API section. */
async function documentedNames(from: string, to: string | null): Promise<string[]> {
  const docs = await readFile(new URL('docs/backend.md', root), 'utf8')
  const section = docs.slice(docs.indexOf('## Public API'))
  const start = section.indexOf(from)
  const part = section.slice(start, to === null ? undefined : section.indexOf(to, start))
  const names = [...part.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)].map((match) => match[1] ?? '')
  return [...new Set(names.filter((name) => name !== from.replaceAll('`', '')))].sort()
}

describe('docs/backend.md lists the public exports', () => {
  it('of @faust/backend', async () => {
    const documented = await documentedNames('`@faust/backend`:', '`@faust/backend/store`')
    expect(documented).toEqual(await exportedNames('packages/backend/src/index.ts'))
  })

  it('of @faust/backend/store', async () => {
    const documented = await documentedNames('`@faust/backend/store` has', null)
    expect(documented).toEqual(await exportedNames('packages/backend/src/store/index.ts'))
  })

  it('and the root entry exports nothing of the store', async () => {
    const root = await exportedNames('packages/backend/src/index.ts')
    const store = await exportedNames('packages/backend/src/store/index.ts')
    expect(root.filter((name) => store.includes(name))).toEqual([])
  })
})
