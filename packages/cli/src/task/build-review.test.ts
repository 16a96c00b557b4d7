// The review view's bundle, built by the real esbuild from files on disk: in
// node_modules/.cache of the workspace, so that react and @faust/react resolve
// from the component's folder as they do in a task's folder.
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildReview } from './build-review.js'

const CACHE = fileURLToPath(new URL('../../../../node_modules/.cache/', import.meta.url))

let dir: string

beforeEach(async () => {
  await mkdir(CACHE, { recursive: true })
  dir = await mkdtemp(join(CACHE, 'faust-build-review-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}

describe('buildReview', () => {
  it('bundles the component with React into <data>/review/<task>.js, exporting mount', async () => {
    await writeFile(
      join(dir, 'review.tsx'),
      'export default function Review(props: { data: { label: string } }) {\n' +
        '  return <p>{props.data.label}</p>\n}\n',
    )
    const built = await buildReview({
      taskName: 'label',
      source: join(dir, 'review.tsx'),
      dataDir: join(dir, 'data'),
    })
    expect(built).toMatchObject({ script: join(dir, 'data', 'review', 'label.js'), style: null })
    const script = await readFile(built.script, 'utf8')
    expect(script).toMatch(/export\s*\{[^}]*\bmount\b/)
    // React's production build is inside: the console has no React to lend it.
    expect(script).toContain('createRoot')
    expect(script).not.toContain('process.env.NODE_ENV')
    expect(built.bytes).toBe(Buffer.byteLength(script))
  })

  it('writes the styles the component imports, and removes them once it imports none', async () => {
    await writeFile(join(dir, 'review.css'), '.label { color: rebeccapurple }\n')
    const source = join(dir, 'review.tsx')
    await writeFile(
      source,
      'import \'./review.css\'\nexport default function Review() {\n  return <p className="label" />\n}\n',
    )
    const dataDir = join(dir, 'data')
    const first = await buildReview({ taskName: 'styled', source, dataDir })
    expect(first.style).toBe(join(dataDir, 'review', 'styled.css'))
    expect(await readFile(first.style!, 'utf8')).toMatch(/^\.label\{color:/)

    await writeFile(source, 'export default function Review() {\n  return null\n}\n')
    const second = await buildReview({ taskName: 'styled', source, dataDir })
    expect(second.style).toBeNull()
    expect(await exists(join(dataDir, 'review', 'styled.css'))).toBe(false)
  })

  it('fails with the file and line of each error, and keeps the last good bundle', async () => {
    const source = join(dir, 'review.jsx')
    const dataDir = join(dir, 'data')
    await writeFile(source, 'export default function Review() {\n  return <p>ok</p>\n}\n')
    const good = await buildReview({ taskName: 'label', source, dataDir })
    const before = await readFile(good.script, 'utf8')
    await writeFile(source, 'export default function Review() {\n  return <p>broken\n}\n')
    await expect(buildReview({ taskName: 'label', source, dataDir })).rejects.toThrow(
      /could not build the review component .*review\.jsx: .*review\.jsx:\d+: /,
    )
    expect(await readFile(good.script, 'utf8')).toBe(before)
  })

  it('says so when the component has no default export', async () => {
    const source = join(dir, 'review.tsx')
    await writeFile(source, 'export const Review = () => null\n')
    await expect(
      buildReview({ taskName: 'label', source, dataDir: join(dir, 'data') }),
    ).rejects.toThrow(/No matching export .* for import "default"/)
  })

  it('says what to install when the folder has no @faust/react', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'faust-build-review-'))
    try {
      const source = join(outside, 'review.js')
      await writeFile(source, 'export default function Review() {\n  return null\n}\n')
      await expect(
        buildReview({ taskName: 'label', source, dataDir: join(outside, 'data') }),
      ).rejects.toThrow(
        /Could not resolve "@faust\/react\/review" \(install react, react-dom and @faust\/react in the task folder\)/,
      )
    } finally {
      await rm(outside, { recursive: true, force: true })
    }
  })
})
