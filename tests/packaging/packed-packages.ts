// Faust's packages as the registry would hold them: `npm pack` of each, and a
// project's package.json pointed at those tarballs instead of the registry.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { shell } from './shell.js'

export const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url))

/** Every package a user installs, by folder under packages/. */
export const PACKAGE_FOLDERS = [
  'protocol',
  'router',
  'backend',
  'client',
  'react',
  'jspsych',
  'testing',
  'console',
  'cli',
  'create-faust',
] as const

/** A packed package: its name and its tarball's path. */
export interface PackedPackage {
  readonly name: string
  readonly tarball: string
}

/** `npm pack` of every package (built already: `npm ci` builds) into `dir`. */
export async function packAll(dir: string): Promise<PackedPackage[]> {
  const workspaces = PACKAGE_FOLDERS.map((folder) => `-w packages/${folder}`).join(' ')
  const { output } = await shell(
    `npm pack --json --pack-destination "${dir}" ${workspaces}`,
    REPOSITORY,
    120_000,
  )
  const packed = JSON.parse(output.slice(output.indexOf('['))) as {
    name: string
    filename: string
  }[]
  const names = new Set(await readdir(dir))
  return packed.map(({ name, filename }) => {
    if (!names.has(filename)) throw new Error(`npm pack did not write ${filename}`)
    return { name, tarball: join(dir, filename) }
  })
}

/**
 * Points a project's dependencies on Faust's packages at the tarballs,
 * directly and through `overrides` for the ones they depend on in turn (the
 * CLI needs create-faust, for `faust init`), as a registry holding these
 * versions would. Everything else still comes from the registry.
 */
export async function useTarballs(
  projectDir: string,
  packed: readonly PackedPackage[],
): Promise<void> {
  const file = join(projectDir, 'package.json')
  const manifest = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>
  const spec = (name: string): string | undefined =>
    packed.find((entry) => entry.name === name)?.tarball
  for (const field of ['dependencies', 'devDependencies']) {
    const dependencies = (manifest[field] ?? {}) as Record<string, string>
    for (const name of Object.keys(dependencies)) {
      const tarball = spec(name)
      if (tarball !== undefined) dependencies[name] = `file:${tarball}`
    }
  }
  manifest['overrides'] = Object.fromEntries(
    packed.map(({ name, tarball }) => [name, `file:${tarball}`]),
  )
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`)
}

/**
 * Every `new URL('<relative>', import.meta.url)` in a package's built code that
 * points outside the package once unpacked: such a path only exists in this
 * repository (its fixtures, another package's folder).
 */
export async function pathsOutsidePackage(tarball: string, scratch: string): Promise<string[]> {
  const dir = join(scratch, basename(tarball, '.tgz'))
  await mkdir(dir, { recursive: true })
  await shell(`tar -xzf "${tarball}" -C "${dir}"`, scratch, 60_000)
  const root = join(dir, 'package')
  const escaping: string[] = []
  const files = await readdir(join(root, 'dist'), { recursive: true })
  for (const file of files.filter((name) => name.endsWith('.js'))) {
    const path = join(root, 'dist', file)
    const code = await readFile(path, 'utf8')
    for (const [, target] of code.matchAll(
      /new URL\(\s*['"`](\.{1,2}\/[^'"`]*)['"`],\s*import\.meta\.url/g,
    )) {
      const resolved = resolve(dirname(path), target ?? '')
      if (relative(root, resolved).startsWith('..')) escaping.push(`${file}: ${target ?? ''}`)
    }
  }
  return escaping
}
