// `faust init`, through the built binary: the same projects as `npm create
// faust` (create-faust's templates), in the folder given or the current one.
import { execFile } from 'node:child_process'
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { runCli, tempDir } from '../support/cli-process.js'

const BIN = fileURLToPath(new URL('../../packages/cli/bin/faust.js', import.meta.url))

async function manifestOf(dir: string): Promise<{ name: string; dependencies: object }> {
  return JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
    name: string
    dependencies: object
  }
}

describe('faust init', () => {
  it('makes a project from --template, named by --name, and says what to type next', async () => {
    await using tmp = await tempDir('faust-init-')
    const dir = join(tmp.path, 'study')
    const result = await runCli(['init', dir, '--template', 'html', '--name', 'lexicon'])
    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(result.stdout).toContain('from the html template')
    expect(result.stdout).toContain('npx faust simulate . --workers 5')
    expect((await readdir(dir)).sort()).toEqual([
      '.gitignore',
      'README.md',
      'data.jsonl',
      'package.json',
      'page',
      'task.js',
      'task.test.js',
    ])
    expect(await manifestOf(dir)).toMatchObject({ name: 'lexicon' })
    expect(await readFile(join(dir, 'task.js'), 'utf8')).toContain("name: 'lexicon'")
  })

  it('takes the React template and the current folder by default', async () => {
    await using tmp = await tempDir('faust-init-')
    const dir = join(tmp.path, 'rating-study')
    await mkdir(dir)
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'init'], { cwd: dir })
    expect(stdout).toContain('from the react template')
    expect(stdout).not.toContain('  cd ')
    expect(await manifestOf(dir)).toMatchObject({
      name: 'rating-study',
      dependencies: { '@faust/react': expect.any(String) as string },
    })
  })

  it('refuses a folder that is not empty, and a template it does not have', async () => {
    await using tmp = await tempDir('faust-init-')
    await writeFile(join(tmp.path, 'notes.txt'), 'mine')
    const taken = await runCli(['init', tmp.path])
    expect(taken.code).toBe(1)
    expect(taken.stderr).toContain('is not empty (notes.txt)')
    expect(await readdir(tmp.path)).toEqual(['notes.txt'])

    const unknown = await runCli(['init', join(tmp.path, 'x'), '--template', 'vue'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('Allowed choices are react, html, jspsych')
  })
})
