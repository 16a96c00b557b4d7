// Measures what a worker downloads for a new React project (`npm create faust
// -- --template react`): the template scaffolded into .scratch/ (inside the
// repository, so that it resolves this checkout's packages), built with Vite,
// every script in dist/assets gzipped at level 9. Prints the row of
// docs/benchmarks.md's "Client bundle size" table, which the from-scratch test
// (tests/packaging/getting-started.test.ts) holds an installed project to.
//
//   npm run size:template
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { scaffold } from 'create-faust'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const project = join(root, '.scratch', 'size-react-template')

rmSync(project, { recursive: true, force: true })
await scaffold({ dir: project, template: 'react' })
execFileSync(join(root, 'node_modules/.bin/vite'), ['build', '--logLevel', 'error'], {
  cwd: project,
  stdio: 'inherit',
})
const assets = join(project, 'dist', 'assets')
let minified = 0
let gzipped = 0
for (const file of readdirSync(assets).filter((name) => name.endsWith('.js'))) {
  const bytes = readFileSync(join(assets, file))
  minified += bytes.length
  gzipped += gzipSync(bytes, { level: 9 }).length
}
rmSync(project, { recursive: true, force: true })
const kib = (bytes) => `${(bytes / 1024).toFixed(2)} KiB (${String(bytes)} B)`
console.log(
  `| \`npm create faust\` React project's page (React 19, @faust/react, @faust/client, the form) | ${kib(minified)} | ${kib(gzipped)} | — |`,
)
