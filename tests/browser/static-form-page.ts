// The static-form example's built page (index.html and assets) under a chosen
// React: for the workspace's 19, the build `npm run build` leaves in
// examples/static-form/dist; for another major, the same sources built here
// by Vite with the example's own config, `react` and `react-dom` pointed at
// that version's copies (react-version.ts).
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, createLogger } from 'vite'
import { reactAliases, type ReactMajor } from './react-version.js'

/** The example's folder. */
export const EXAMPLE_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../examples/static-form',
)

/** A built page folder; disposing it removes what this module built. */
export interface StaticFormPage extends AsyncDisposable {
  readonly dir: string
}

/** The example's page built for React `react` (see the file comment). */
export async function staticFormPage(react: ReactMajor): Promise<StaticFormPage> {
  if (react === '19') {
    const dir = join(EXAMPLE_DIR, 'dist')
    if (!existsSync(join(dir, 'index.html'))) {
      throw new Error(`${dir} is not built: run \`npm run build\` first`)
    }
    // The workspace's own build: nothing to remove.
    return { dir, [Symbol.asyncDispose]: () => Promise.resolve() }
  }
  const alias = reactAliases(react)
  const dir = await mkdtemp(join(tmpdir(), `faust-static-form-${react}-`))
  const remove = (): Promise<void> => rm(dir, { recursive: true, force: true })
  try {
    await build({
      root: EXAMPLE_DIR,
      configFile: join(EXAMPLE_DIR, 'vite.config.ts'),
      // The example's logger prints progress on every build; here only
      // errors matter (and they also reject).
      logLevel: 'error',
      customLogger: createLogger('error'),
      resolve: { alias },
      build: { outDir: dir, emptyOutDir: true },
    })
  } catch (error) {
    await remove()
    throw error
  }
  return { dir, [Symbol.asyncDispose]: remove }
}
