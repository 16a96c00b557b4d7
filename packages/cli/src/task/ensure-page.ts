import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { access, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import type { OutputStream } from '../command-io.js'

/** Options of {@link ensurePage}. */
export interface EnsurePageOptions {
  /** The built page's folder; it must hold `index.html`. */
  readonly pageDir: string
  /** The task's folder, where a `package.json` with a `build` script may sit. */
  readonly taskDir: string
  /** Where to say that the page is being built, and the build's own output. */
  readonly log: OutputStream
}

/**
 * Makes sure the page is built: `index.html` in the page folder. When it is
 * missing and the task folder is a package with a `build` script, runs
 * `npm run build` there once (saying so); otherwise fails with what to do.
 */
export async function ensurePage(options: EnsurePageOptions): Promise<void> {
  const index = join(options.pageDir, 'index.html')
  if (await exists(index)) return
  const pkg = await readBuildablePackage(options.taskDir)
  const shown = relative(process.cwd(), index) || index
  if (pkg === null) {
    throw new Error(
      `${shown} not found: the task's page must be built first (page: ${options.pageDir})`,
    )
  }
  const buildHint = `build the page first: npm run build${pkg.name === undefined ? '' : ` -w ${pkg.name}`}`
  options.log.write(`faust run: ${shown} is missing; building the page: npm run build\n`)
  const code = await npmRunBuild(options.taskDir, options.log)
  if (code !== 0) {
    throw new Error(
      `npm run build failed (exit code ${String(code)}) in ${options.taskDir}; ${buildHint}`,
    )
  }
  if (!(await exists(index))) {
    throw new Error(`${shown} still not found after npm run build; ${buildHint}`)
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}

/** The task folder's package name, if it has a `package.json` with a `build` script. */
async function readBuildablePackage(dir: string): Promise<{ name: string | undefined } | null> {
  let manifest: unknown
  try {
    manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'))
  } catch {
    return null
  }
  if (typeof manifest !== 'object' || manifest === null) return null
  const { name, scripts } = manifest as { name?: unknown; scripts?: unknown }
  const hasBuild =
    typeof scripts === 'object' &&
    scripts !== null &&
    typeof (scripts as Record<string, unknown>)['build'] === 'string'
  return hasBuild ? { name: typeof name === 'string' ? name : undefined } : null
}

/** Runs `npm run build` in `dir`; its output goes to `log` so stdout stays the run's own. */
async function npmRunBuild(dir: string, log: OutputStream): Promise<number | null> {
  // npm is a .cmd script on Windows, which Node only starts through a shell.
  const child = spawn('npm', ['run', 'build'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: process.platform === 'win32',
  })
  const forward = (chunk: Buffer): void => {
    log.write(chunk.toString())
  }
  child.stdout.on('data', forward)
  child.stderr.on('data', forward)
  try {
    // `close`, not `exit`: the build's last output has been forwarded by then.
    const [code] = (await once(child, 'close')) as [number | null]
    return code
  } catch (error) {
    throw new Error(
      `could not start npm: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
}
