import { createHash } from 'node:crypto'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { build, type Message } from 'esbuild'
import { REVIEW_FOLDER } from './review-folder.js'

/** What {@link buildReview} wrote (absolute paths). */
export interface BuiltReview {
  readonly script: string
  /** The CSS the component imports, or null when it imports none. */
  readonly style: string | null
  readonly bytes: number
}

/**
 * Bundles a task's review component (`defineTask({ review })`) for the
 * console: one browser module exporting `mount(element, props, onError)`,
 * with the task's own React inside, written to `<dataDir>/review/<task>.js`
 * (and `.css` when it imports styles). The bundle lives in the data folder,
 * not beside the task, so that `faust console` on that folder shows the
 * component after the run has ended (docs/console.md).
 */
export async function buildReview(input: {
  readonly taskName: string
  /** The component's source file, absolute. */
  readonly source: string
  readonly dataDir: string
}): Promise<BuiltReview> {
  const outDir = join(input.dataDir, REVIEW_FOLDER)
  const outputs = await bundle(input.source, outDir)
  await mkdir(outDir, { recursive: true })
  const script = join(outDir, `${input.taskName}.js`)
  const styleFile = join(outDir, `${input.taskName}.css`)
  await writeAtomically(script, outputs.script)
  if (outputs.style === null) await rm(styleFile, { force: true })
  else await writeAtomically(styleFile, outputs.style)
  return {
    script,
    style: outputs.style === null ? null : styleFile,
    bytes: outputs.script.byteLength + (outputs.style?.byteLength ?? 0),
  }
}

/** Builds `task.review` (relative to the task folder), if the task has one. */
export async function buildTaskReview(
  task: { readonly name: string; readonly review: string | undefined },
  where: { readonly taskDir: string; readonly dataDir: string },
): Promise<BuiltReview | null> {
  if (task.review === undefined) return null
  const source = resolve(where.taskDir, task.review)
  return buildReview({ taskName: task.name, source, dataDir: where.dataDir })
}

/** The generated entry: the component's default export behind `mountReview`. */
function entryOf(source: string): string {
  return [
    `import Review from ${JSON.stringify(source)}`,
    `import { mountReview } from '@faust/react/review'`,
    'export function mount(element, props, onError) {',
    '  return mountReview(Review, { element, props, onError })',
    '}',
  ].join('\n')
}

async function bundle(
  source: string,
  outDir: string,
): Promise<{ script: Uint8Array; style: Uint8Array | null }> {
  const result = await build({
    stdin: {
      contents: entryOf(source),
      // The component's own folder: its React and @faust/react are the task's.
      resolveDir: dirname(source),
      sourcefile: 'faust-review-entry.js',
      loader: 'js',
    },
    outdir: outDir,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    // Images and fonts travel inside the module: the console's CSP allows data: images.
    loader: { '.png': 'dataurl', '.jpg': 'dataurl', '.svg': 'dataurl', '.woff2': 'dataurl' },
    logLevel: 'silent',
  }).catch((error: unknown) => {
    throw new Error(`could not build the review component ${shown(source)}: ${why(error)}`, {
      cause: error,
    })
  })
  const script = result.outputFiles.find((file) => file.path.endsWith('.js'))
  const style = result.outputFiles.find((file) => file.path.endsWith('.css'))
  if (script === undefined) throw new Error(`esbuild wrote no script for ${shown(source)}`)
  return { script: script.contents, style: style?.contents ?? null }
}

/** Written beside, then renamed: a console never serves half a bundle. */
async function writeAtomically(path: string, contents: Uint8Array): Promise<void> {
  const temporary = `${path}.${createHash('sha256').update(contents).digest('hex').slice(0, 8)}.tmp`
  await writeFile(temporary, contents)
  await rename(temporary, path)
}

function shown(path: string): string {
  return relative(process.cwd(), path) || path
}

/** esbuild's first errors as `file:line: text`, with a hint where @faust/react is missing. */
function why(error: unknown): string {
  const errors = (error as { errors?: Message[] }).errors
  if (!Array.isArray(errors) || errors.length === 0) {
    return error instanceof Error ? error.message : String(error)
  }
  const lines = errors.slice(0, 3).map((message) => {
    const at = message.location
    return at === null ? message.text : `${at.file}:${String(at.line)}: ${message.text}`
  })
  const missing = errors.some((message) => /@faust\/react|react-dom|"react/.test(message.text))
  const hint = missing ? ' (install react, react-dom and @faust/react in the task folder)' : ''
  return `${lines.join('; ')}${hint}`
}
