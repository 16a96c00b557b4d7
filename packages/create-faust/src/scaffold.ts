import { cp, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { projectNameFor } from './project-name.js'
import { ScaffoldError } from './scaffold-error.js'
import { isTemplateName, TEMPLATE_NAMES, type TemplateName } from './templates.js'

/** Options of {@link scaffold}. */
export interface ScaffoldOptions {
  /** The project's folder: created if missing, and it must be empty (but for `.git`). */
  readonly dir: string
  /** A {@link TemplateName}; anything else is refused with `UNKNOWN_TEMPLATE`. */
  readonly template: string
  /** The package's and the task's name; by default made from the folder's name. */
  readonly name?: string | undefined
}

/** What {@link scaffold} made. */
export interface ScaffoldResult {
  readonly dir: string
  readonly name: string
  readonly template: TemplateName
  /** Every file written, relative to `dir`, sorted (`.git` is not ours). */
  readonly files: readonly string[]
}

const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url))
const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates')

// npm leaves `.gitignore` out of a package's tarball, so templates carry it
// under another name.
const RENAMED: Readonly<Record<string, string>> = { _gitignore: '.gitignore' }

// Text in template files replaced by the project's name.
const NAME_TOKEN = '{{name}}'

// Files checked for `{{name}}`: the rest (data, styles) are copied as they are.
const TEXT_FILES = /\.(?:ts|tsx|js|html|md|json)$/

/** Creates a task project from a template; refuses a folder that is not empty. */
export async function scaffold(options: ScaffoldOptions): Promise<ScaffoldResult> {
  const { template } = options
  if (!isTemplateName(template)) {
    throw new ScaffoldError(
      'UNKNOWN_TEMPLATE',
      `no template "${template}": choose one of ${TEMPLATE_NAMES.join(', ')}`,
    )
  }
  const dir = resolve(options.dir)
  const name = projectNameFor(dir, options.name)
  await ensureEmptyFolder(dir)
  await cp(join(TEMPLATES_DIR, template), dir, { recursive: true })
  for (const [from, to] of Object.entries(RENAMED)) {
    await rename(join(dir, from), join(dir, to)).catch(ignoreMissing)
  }
  const files = await listFiles(dir)
  for (const file of files.filter((path) => TEXT_FILES.test(path))) {
    await fillIn(join(dir, file), name)
  }
  await writePackageJson(dir, name)
  return { dir, name, template, files }
}

// What a folder may already hold: a fresh `git init` or clone of an empty repository.
const ALLOWED_ENTRIES = new Set(['.git'])

async function ensureEmptyFolder(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true })
  const entries = (await readdir(dir)).filter((entry) => !ALLOWED_ENTRIES.has(entry))
  if (entries.length > 0) {
    throw new ScaffoldError(
      'TARGET_NOT_EMPTY',
      `${dir} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}): choose a new folder`,
    )
  }
}

async function fillIn(file: string, name: string): Promise<void> {
  const text = await readFile(file, 'utf8')
  if (text.includes(NAME_TOKEN)) await writeFile(file, text.replaceAll(NAME_TOKEN, name))
}

/**
 * The project's package.json: its name, and every `@faust/*` package at this
 * package's own version (Faust's packages are released together).
 */
async function writePackageJson(dir: string, name: string): Promise<void> {
  const file = join(dir, 'package.json')
  const manifest = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>
  const version = await ownVersion()
  manifest['name'] = name
  for (const field of ['dependencies', 'devDependencies']) {
    const dependencies = manifest[field] as Record<string, string> | undefined
    for (const dependency of Object.keys(dependencies ?? {})) {
      if (dependency.startsWith('@faust/') && dependencies !== undefined) {
        dependencies[dependency] = `^${version}`
      }
    }
  }
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`)
}

async function ownVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
    version: string
  }
  return manifest.version
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .filter((path) => !ALLOWED_ENTRIES.has(path.split(sep)[0] ?? ''))
    .sort()
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
}
