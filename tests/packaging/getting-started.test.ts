// Issue 15's proof from scratch. Every package is packed as npm would publish
// it; then, in an empty folder outside the repository, each template is taken
// through docs/getting-started.md's commands as they are written there:
// `npm create faust`, `npm install` (Faust's packages from the tarballs,
// everything else from the registry), `npm test`, `faust simulate`, `faust run`
// with a worker in Chromium, and `faust results`.
import { gzipSync } from 'node:zlib'
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../browser/browser.js'
import { docCommands } from './doc-commands.js'
import {
  packAll,
  pathsOutsidePackage,
  REPOSITORY,
  useTarballs,
  type PackedPackage,
} from './packed-packages.js'
import { killGroup, shell, startShell } from './shell.js'
import { doOneUnit, EXPECTED_ANSWER, type TemplateName } from './template-pages.js'

const GETTING_STARTED = join(REPOSITORY, 'docs/getting-started.md')
const CREATE = /^npm create faust@latest (\S+) -- --template (\w+)$/
// An install builds better-sqlite3 from source (no prebuilt binaries here): minutes, not seconds.
const INSTALL_MS = 420_000
const COMMAND_MS = 180_000

let root: string
let packed: PackedPackage[]

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'faust-from-scratch-'))
  await mkdir(join(root, 'packs'))
  packed = await packAll(join(root, 'packs'))
}, COMMAND_MS)

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('the packages, packed', () => {
  it('are complete manifests, none private, each with its license, reaching nothing outside', async () => {
    expect(packed.map(({ name }) => name).sort()).toEqual([
      '@faust/backend',
      '@faust/cli',
      '@faust/client',
      '@faust/console',
      '@faust/jspsych',
      '@faust/protocol',
      '@faust/react',
      '@faust/router',
      '@faust/testing',
      'create-faust',
    ])
    for (const { tarball } of packed) {
      const { output: files } = await shell(`tar -tzf "${tarball}"`, root, COMMAND_MS)
      expect(files.split('\n')).toEqual(expect.arrayContaining(['package/LICENSE']))
      const { output } = await shell(
        `tar -xzOf "${tarball}" package/package.json`,
        root,
        COMMAND_MS,
      )
      const manifest = JSON.parse(output) as Record<string, unknown>
      expect(manifest).toMatchObject({ license: 'MIT', engines: { node: '>=20.19' } })
      expect(manifest).toHaveProperty('repository.url')
      expect(manifest).not.toHaveProperty('private')
      for (const dependency of Object.values(manifest['dependencies'] ?? {})) {
        expect(dependency).not.toMatch(/^(file|link|workspace):/)
      }
      // Nor a path into the repository: the built code reaches only its own files.
      expect(await pathsOutsidePackage(tarball, join(root, 'unpacked'))).toEqual([])
    }
  })
})

describe.each<TemplateName>(['react', 'html', 'jspsych'])('the %s template', (template) => {
  it(
    'goes through getting-started.md from an empty folder',
    async () => {
      const dir = join(root, template)
      await mkdir(dir)
      const project = await followGettingStarted(template, dir)
      if (template === 'react') {
        await shell('npm run typecheck', project, COMMAND_MS)
        await expectBundleNearBenchmark(project)
      }
    },
    INSTALL_MS + 6 * COMMAND_MS,
  )
})

/** Runs every command of getting-started.md in `dir`, making `template`'s project; its folder. */
async function followGettingStarted(template: TemplateName, dir: string): Promise<string> {
  const commands = await docCommands(GETTING_STARTED)
  const [create] = await docCommands(join(REPOSITORY, `docs/templates/${template}.md`))
  expect(commands[0]).toMatch(CREATE)
  expect(create).toMatch(CREATE)
  let cwd = dir
  // The template's own page says how to create it; the rest is getting-started.md's.
  for (const command of [create ?? '', ...commands.slice(1)]) {
    const cd = /^cd (\S+)$/.exec(command)
    if (cd !== null) cwd = resolve(cwd, cd[1] ?? '')
    else await runDocCommand(command, cwd, template)
  }
  return cwd
}

async function runDocCommand(command: string, cwd: string, template: TemplateName): Promise<void> {
  const create = CREATE.exec(command)
  if (create !== null) {
    const tarball = packed.find(({ name }) => name === 'create-faust')?.tarball ?? ''
    // `npm create faust@latest` is `npm exec create-faust@latest`; the package is this tarball.
    await shell(
      `npm exec --yes --package="${tarball}" -- create-faust ${create[1] ?? ''} --template ${create[2] ?? ''}`,
      cwd,
      COMMAND_MS,
    )
  } else if (command === 'npm install') {
    await useTarballs(cwd, packed)
    // Niced: it compiles SQLite for minutes while the rest of the suite runs beside it.
    const { output } = await shell('nice -n 10 npm install --no-audit --no-fund', cwd, INSTALL_MS)
    // A new user's first install says nothing alarming.
    expect(output).not.toMatch(/npm warn/i)
  } else if (command === 'npx faust run .') {
    await runWithAWorker(command, cwd, template)
  } else if (command.startsWith('npx faust results ')) {
    const { output } = await shell(command, cwd, COMMAND_MS)
    const [stored] = output
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown)
    expect(stored).toMatchObject({ workerName: expect.stringMatching(/^worker-1/) as string })
    expect((stored as { data: unknown }).data).toMatchObject(EXPECTED_ANSWER[template] as object)
  } else {
    const { output } = await shell(command, cwd, COMMAND_MS)
    if (command.includes('faust simulate')) {
      expect(output).toContain('5 submissions acknowledged')
      // It built the page first (React, jsPsych): a clean build says nothing to worry about.
      expect(output).not.toMatch(/warn/i)
    }
  }
}

/**
 * `npx faust run .` (on any free port, through FAUST_PORT), a worker who opens
 * the first printed link and does the unit in Chromium, then Ctrl-C.
 */
async function runWithAWorker(command: string, cwd: string, template: TemplateName): Promise<void> {
  const run = startShell(command, cwd, { FAUST_PORT: '0' })
  try {
    await run.waitFor(/Ctrl-C pauses the run/, COMMAND_MS)
    const link = /http:\/\/\S+\/\?worker_id=worker-1&assignment_id=\w+/.exec(run.output())?.[0]
    expect(link).toBeDefined()
    await using chrome = await launchBrowser()
    const page = await (await chrome.newContext()).newPage()
    await page.goto(link ?? '')
    await doOneUnit(page, template)
    // Ctrl-C in a terminal signals the whole foreground group: sh, npx and faust alike.
    killGroup(run.child, 'SIGINT')
    await run.waitFor(/paused \(SIGINT; faust run resumes it\)/, COMMAND_MS)
  } finally {
    killGroup(run.child, 'SIGKILL')
  }
}

/**
 * The built page (every script in dist/assets), gzipped, against the figure
 * docs/benchmarks.md gives for a new React project: within 10 %.
 */
async function expectBundleNearBenchmark(project: string): Promise<void> {
  const assets = join(project, 'dist', 'assets')
  let gzipped = 0
  for (const file of (await readdir(assets)).filter((name) => name.endsWith('.js'))) {
    gzipped += gzipSync(await readFile(join(assets, file)), { level: 9 }).length
  }
  const benchmarks = await readFile(join(REPOSITORY, 'docs/benchmarks.md'), 'utf8')
  // The row's columns: the page, min, then min+gz, each as "<KiB> KiB (<bytes> B)".
  const row =
    /^\| `npm create faust` React project's page [^|]*\| *[\d.]+ KiB \(\d+ B\) \| *[\d.]+ KiB \((\d+) B\) \|/m.exec(
      benchmarks,
    )
  expect(row).not.toBeNull()
  const documented = Number(row?.[1])
  expect(Math.abs(gzipped - documented) / documented).toBeLessThanOrEqual(0.1)
}
