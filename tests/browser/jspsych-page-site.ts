// The jsPsych test page (pages/jspsych-page.tsx) bundled by esbuild from the
// workspace sources, written into a router's static folder beside the mock
// provider's script (the task_config.json is the harness's).
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { build } from 'esbuild'
import { mockProvider } from '@faust/backend'
import { PAGES_DIR } from './live-page-site.js'

const INDEX_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>jsPsych</title>
<script src="wrap_crowd_source.js"></script>
<script type="module" src="bundle.js"></script>
</head><body><div id="app"></div></body></html>`

/** The bundled page, built once per test file. */
export async function bundleJsPsychPage(): Promise<Uint8Array> {
  const bundle = await build({
    entryPoints: [join(PAGES_DIR, 'jspsych-page.tsx')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@faust/source'],
    write: false,
    logLevel: 'warning',
  })
  const output = bundle.outputFiles[0]
  if (output === undefined) throw new Error('esbuild produced no bundle for the jsPsych page')
  return output.contents
}

/** Writes the page (`bundle`, from {@link bundleJsPsychPage}) into `staticDir`. */
export async function writeJsPsychSite(staticDir: string, bundle: Uint8Array): Promise<void> {
  await writeFile(join(staticDir, 'bundle.js'), bundle)
  await writeFile(join(staticDir, 'index.html'), INDEX_HTML)
  await writeFile(join(staticDir, 'wrap_crowd_source.js'), mockProvider.wrapCrowdSourceScript)
}
