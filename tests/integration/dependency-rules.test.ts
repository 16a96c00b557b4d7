// The import rules of .dependency-cruiser.mjs (docs/contributing.md) run by `npm run check:deps`
// are proven able to fail: the cruiser runs with them on a tiny tree holding one break of each
// rule, and must report exactly those breaks and nothing in the clean files.
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const cli = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs')
const config = join(root, '.dependency-cruiser.mjs')

/** The fixture's files: path → source. */
const files: Record<string, string> = {
  'tsconfig.json': JSON.stringify({
    compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true },
    include: ['packages/*/src/**/*.ts'],
  }),
  // A file cycle made of a type-only import one way and a value import the other.
  'packages/demo/src/a.ts': "import type { B } from './b.js'\nexport const a = (b: B) => b\n",
  'packages/demo/src/b.ts':
    "import { a } from './a.js'\nexport type B = number\nexport const b = a\n",
  // A folder cycle with no file cycle: left/one → right/one, right/two → left/two.
  'packages/demo/src/left/one.ts': "import { r } from '../right/one.js'\nexport const l = r\n",
  'packages/demo/src/left/two.ts': 'export const l2 = 2\n',
  'packages/demo/src/right/one.ts': 'export const r = 1\n',
  'packages/demo/src/right/two.ts': "import { l2 } from '../left/two.js'\nexport const r2 = l2\n",
  // Another package reached through a relative path instead of its name.
  'packages/demo/src/reach.ts': "import { x } from '../../other/src/x.js'\nexport const y = x\n",
  'packages/other/src/x.ts': 'export const x = 1\n',
  // The backend's store reaching up into services, and a folder outside the layers.
  'packages/backend/src/store/store.ts':
    "import { s } from '../services/service.js'\nexport const t = s\n",
  'packages/backend/src/util/u.ts': 'export const u = 1\n',
  'packages/backend/src/misc/m.ts': "import { u } from '../util/u.js'\nexport const m = u\n",
  // services/context reaching up into services/runners.
  'packages/backend/src/services/context/c.ts':
    "import { r } from '../runners/run.js'\nexport const c = r\n",
  // Clean layering: services' own files on top of procedures, procedures on top of runners.
  'packages/backend/src/services/service.ts':
    "import { p } from './procedures/p.js'\nexport const s = p\n",
  'packages/backend/src/services/procedures/p.ts':
    "import { r } from '../runners/run.js'\nexport const p = r\n",
  'packages/backend/src/services/runners/run.ts':
    "import { u } from '../../util/u.js'\nexport const r = u\n",
  // A test fixture is in no layer and may be used by tests anywhere, but by no product file.
  'packages/backend/src/services/test-support/fixture.ts': 'export const f = 1\n',
  'packages/backend/src/services/runners/run.test.ts':
    "import { f } from '../test-support/fixture.js'\nexport const t = f\n",
  'packages/backend/src/util/leak.ts':
    "import { f } from '../services/test-support/fixture.js'\nexport const l = f\n",
}

interface Violation {
  readonly type: string
  readonly from: string
  readonly to: string
  readonly rule: { readonly name: string }
  /** The files (or folders) of a cycle after `from`, ending back at `from`. */
  readonly cycle?: readonly { readonly name: string }[]
}

let fixture: string
let violations: readonly Violation[]

beforeAll(async () => {
  fixture = await mkdtemp(join(tmpdir(), 'faust-deps-'))
  for (const [path, source] of Object.entries(files)) {
    await mkdir(dirname(join(fixture, path)), { recursive: true })
    await writeFile(join(fixture, path), source)
  }
  violations = await cruise()
}, 60_000)

afterAll(async () => {
  await rm(fixture, { recursive: true, force: true })
})

/** Runs depcruise with the repository's config in the fixture; its JSON report's violations. */
function cruise(): Promise<readonly Violation[]> {
  return new Promise((resolve, reject) => {
    const args = [cli, '--config', config, '--output-type', 'json', 'packages']
    const options = { cwd: fixture, maxBuffer: 16 << 20 }
    // depcruise exits non-zero when it finds errors, which is what these tests want.
    execFile(process.execPath, args, options, (error, stdout, stderr) => {
      if (stdout === '') {
        reject(error ?? new Error(stderr))
        return
      }
      const report = JSON.parse(stdout) as { summary: { violations: Violation[] } }
      resolve(report.summary.violations)
    })
  })
}

function named(violations: readonly Violation[], rule: string): string[] {
  return violations
    .filter((violation) => violation.rule.name === rule)
    .map((violation) => `${violation.from} -> ${violation.to}`)
    .sort()
}

describe('the dependency rules', () => {
  it('report a file cycle, type-only imports included', () => {
    // The cruiser reports a file cycle once, from whichever of its files it meets first.
    const cycles = violations.filter((violation) => violation.rule.name === 'no-file-cycle')
    expect(cycles).toHaveLength(1)
    expect([cycles[0]?.from, ...(cycles[0]?.cycle ?? []).map((step) => step.name)].sort()).toEqual([
      'packages/demo/src/a.ts',
      'packages/demo/src/a.ts',
      'packages/demo/src/b.ts',
    ])
  })

  it('report a folder cycle that no file cycle makes', () => {
    expect(named(violations, 'no-folder-cycle')).toEqual([
      'packages/demo/src/left -> packages/demo/src/right',
      'packages/demo/src/right -> packages/demo/src/left',
    ])
  })

  it('report an import of another package through a relative path', () => {
    expect(named(violations, 'no-relative-import-across-packages')).toEqual([
      'packages/demo/src/reach.ts -> packages/other/src/x.ts',
    ])
  })

  it('report a backend folder importing from a layer above it, or outside the layers', () => {
    expect(named(violations, 'backend-layer-store')).toEqual([
      'packages/backend/src/store/store.ts -> packages/backend/src/services/service.ts',
    ])
    expect(named(violations, 'services-layer-context')).toEqual([
      'packages/backend/src/services/context/c.ts -> packages/backend/src/services/runners/run.ts',
    ])
    expect(named(violations, 'backend-folder-outside-layers')).toEqual([
      'packages/backend/src/misc/m.ts -> packages/backend/src/util/u.ts',
    ])
  })

  it('report a product file importing a test fixture, not a test doing so', () => {
    expect(named(violations, 'test-support-only-in-tests')).toEqual([
      'packages/backend/src/util/leak.ts -> packages/backend/src/services/test-support/fixture.ts',
    ])
  })

  it('report nothing else: the clean files pass', () => {
    // One file cycle, two folder-cycle directions, one relative import, three layer breaks,
    // one fixture used by product code.
    expect(violations).toHaveLength(8)
  })
})
