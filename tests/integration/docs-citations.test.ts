// Citations of the wire contract (docs/protocol.md §n.m, Wn) must lead somewhere a reader of the
// repository can follow: a section or defect that exists, and never a file outside the repository.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const root = new URL('../../', import.meta.url)
const files = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((path) => /\.(ts|tsx|js|md)$/.test(path))
const texts = files.map((path) => ({ path, text: readFileSync(new URL(path, root), 'utf8') }))
const protocol = readFileSync(new URL('docs/protocol.md', root), 'utf8')

/** Section numbers (`4.2`, `11`) and defect names (`W15`) that docs/protocol.md has headings for. */
const anchors = new Set(
  [...protocol.matchAll(/^#{2,3} (W\d+|\d+(?:\.\d+)?)\.? /gm)].map((match) => match[1]),
)

/** Every `§n.m` and `Wn` in a run of references that starts by naming protocol.md. */
function citationsIn(text: string): string[] {
  const runs = text.matchAll(/protocol\.md\)? ((?:(?:§[\d.]+|W\d+)[^.()\n§W]{0,30}[,;]?\s*)+)/g)
  return [...runs].flatMap((run) =>
    [...(run[1] ?? '').matchAll(/§(\d+(?:\.\d+)?)|\b(W\d+)\b/g)].map(
      (match) => match[1] ?? match[2] ?? '',
    ),
  )
}

describe('citations of docs/protocol.md', () => {
  it('name sections and defects that exist', () => {
    const broken = texts.flatMap(({ path, text }) =>
      citationsIn(text)
        .filter((cited) => !anchors.has(cited))
        .map((cited) => `${path}: ${cited}`),
    )
    expect(anchors.size).toBeGreaterThan(60)
    expect(broken).toEqual([])
  })

  it('never name a file outside the repository', () => {
    // Spelled in pieces, so that this file does not name them itself.
    const outside = new RegExp(
      ['/wo' + 'rk/', 'shared' + '/reference', 'anchors' + '\\.md'].join('|'),
    )
    const offenders = texts.filter(({ text }) => outside.test(text)).map(({ path }) => path)
    expect(offenders).toEqual([])
  })
})
