// docs/deploy.md quotes the files of deploy/ whole; the tested files and the
// documented ones must not drift apart.
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'

const root = new URL('../../', import.meta.url)
const read = (path: string): Promise<string> => readFile(new URL(path, root), 'utf8')

describe('docs/deploy.md', () => {
  it.each([
    ['deploy/nginx.conf', 'nginx'],
    ['deploy/Caddyfile', 'caddyfile'],
    ['deploy/faust-router.service', 'ini'],
  ])('quotes %s word for word', async (path, language) => {
    const doc = await read('docs/deploy.md')
    expect(doc).toContain(`\`\`\`${language}\n${await read(path)}\`\`\`\n`)
  })

  it('is linked from the README', async () => {
    expect(await read('README.md')).toContain('(docs/deploy.md)')
  })
})
