// Measures what a task page downloads: @faust/client (core) and @faust/react
// (bindings, with React and the core external), bundled by esbuild as an
// application would (minified ESM for browsers), gzipped at level 9. Prints a
// Markdown table and exits non-zero when a bundle is over its budget.
//
//   npm run size:client
//   npm run size:client -- --compare /tmp/mephisto-task/package/build/bundle.js
//
// `--compare <file>` adds a row for another, already minified bundle, measured
// as it is (e.g. mephisto-task 2.0.4's webpack-built build/bundle.js from
// `npm pack mephisto-task@2.0.4`; esbuild re-minifying it makes it larger).
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const KiB = 1024
const REACT = ['react', 'react-dom', 'react/jsx-runtime']

const BUNDLES = [
  {
    name: '@faust/client (core)',
    entry: 'packages/client/dist/index.js',
    external: [],
    // 8 KiB until issue 11 added submissions that survive network loss, router
    // restarts and reloads (Idempotency-Key, retries, sessionStorage): +1.2 KiB.
    // 9.5 KiB until issue 14 moved every worker-facing text into the core's
    // catalogue and shipped Spanish beside English: +3.3 KiB (about 1.9 of it Spanish).
    budget: 13 * KiB,
  },
  {
    name: '@faust/react (bindings; React and core external)',
    entry: 'packages/react/dist/index.js',
    external: [...REACT, '@faust/client'],
    budget: 2 * KiB,
  },
  {
    name: '@faust/react/status-screen (TaskStatusScreen; React and core external)',
    entry: 'packages/react/dist/status-screen.js',
    external: [...REACT, '@faust/client'],
    budget: 2 * KiB,
  },
  {
    name: '@faust/react + @faust/client (React external)',
    entry: 'packages/react/dist/index.js',
    external: REACT,
    budget: null,
  },
]

// The entries are the packages' built output: bring it up to date first.
execFileSync(join(root, 'node_modules/.bin/tsc'), ['-b', 'packages/client', 'packages/react'], {
  cwd: root,
  stdio: 'inherit',
})

const rows = []
for (const bundle of BUNDLES) {
  const result = await build({
    entryPoints: [join(root, bundle.entry)],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    external: bundle.external,
    write: false,
    logLevel: 'warning',
  })
  rows.push({ ...bundle, ...measure(result.outputFiles[0].contents) })
}

const compareAt = process.argv.indexOf('--compare')
if (compareAt !== -1) {
  const file = process.argv[compareAt + 1]
  if (file === undefined) throw new Error('--compare needs a file')
  rows.push({ name: `${file} (as published)`, budget: null, ...measure(readFileSync(file)) })
}

console.log('| bundle | min | min+gz | budget (min+gz) |')
console.log('| --- | ---: | ---: | --- |')
let over = false
for (const row of rows) {
  const verdict =
    row.budget === null
      ? '—'
      : `< ${format(row.budget)} ${row.gzipped < row.budget ? 'ok' : 'OVER'}`
  if (row.budget !== null && row.gzipped >= row.budget) over = true
  console.log(`| ${row.name} | ${format(row.minified)} | ${format(row.gzipped)} | ${verdict} |`)
}
process.exit(over ? 1 : 0)

function measure(code) {
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length }
}

function format(bytes) {
  return `${(bytes / KiB).toFixed(2)} KiB (${bytes} B)`
}
