// The live test page (pages/live-page.tsx) as a site a router can serve:
// bundled by esbuild from the workspace sources under a chosen React (see
// react-version.ts), beside the mock provider's script and a task_config.json.
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { mockProvider } from '@faust/backend'
import { reactAliases, type ReactMajor } from './react-version.js'

/** The test pages' folder. */
export const PAGES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'pages')

const ENTRY = join(PAGES_DIR, 'live-page.tsx')

const INDEX_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>live</title>
<script src="wrap_crowd_source.js"></script>
<script type="module" src="bundle.js"></script>
</head><body><div id="root"></div></body></html>`

/**
 * Builds the live page (or another page of pages/, `entry`) with React
 * `react` into a new temporary folder and returns it (the caller removes it).
 */
export async function buildLivePageSite(
  prefix: string,
  react: ReactMajor,
  entry: string = ENTRY,
): Promise<string> {
  const alias = reactAliases(react)
  const siteDir = await mkdtemp(join(tmpdir(), prefix))
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    conditions: ['@faust/source'],
    alias,
    define: { 'process.env.NODE_ENV': '"development"' },
    write: false,
    logLevel: 'warning',
  })
  const output = bundle.outputFiles[0]
  if (output === undefined) throw new Error('esbuild produced no bundle for the live page')
  await writeFile(join(siteDir, 'bundle.js'), output.contents)
  await writeFile(join(siteDir, 'index.html'), INDEX_HTML)
  await writeFile(join(siteDir, 'wrap_crowd_source.js'), mockProvider.wrapCrowdSourceScript)
  await writeFile(
    join(siteDir, 'task_config.json'),
    JSON.stringify({ task_title: 'live', mephisto_task_version: '2.0.4' }),
  )
  return siteDir
}
