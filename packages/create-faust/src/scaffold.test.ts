import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { main } from './main.js'
import { projectNameFor } from './project-name.js'
import { scaffold } from './scaffold.js'
import { TEMPLATE_NAMES } from './templates.js'

let root: string
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'create-faust-'))
})
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

const OWN_VERSION = (
  JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
).version

describe('scaffold', () => {
  it.each(TEMPLATE_NAMES)(
    'makes a %s project: task, page, data, test, .gitignore',
    async (template) => {
      const result = await scaffold({ dir: join(root, 'My Study'), template })
      expect(result).toMatchObject({ name: 'my-study', template, dir: join(root, 'My Study') })
      expect(result.files).toEqual(
        expect.arrayContaining(['.gitignore', 'README.md', 'data.jsonl', 'package.json']),
      )
      expect(result.files.some((file) => /^task\.(ts|js)$/.test(file))).toBe(true)
      expect(result.files.some((file) => /^task\.test\.(ts|js)$/.test(file))).toBe(true)
      expect(result.files).not.toContain('_gitignore')

      const manifest = JSON.parse(await readFile(join(result.dir, 'package.json'), 'utf8')) as {
        name: string
        dependencies: Record<string, string>
        devDependencies: Record<string, string>
      }
      expect(manifest.name).toBe('my-study')
      // Faust's own packages at this release; nothing left as "*".
      expect(manifest.dependencies['@faust/cli']).toBe(`^${OWN_VERSION}`)
      expect(manifest.devDependencies['@faust/testing']).toBe(`^${OWN_VERSION}`)
      const specs = [
        ...Object.values(manifest.dependencies),
        ...Object.values(manifest.devDependencies),
      ]
      expect(specs).not.toContain('*')

      const taskFile = result.files.find((file) => /^task\.(ts|js)$/.test(file)) ?? ''
      const task = await readFile(join(result.dir, taskFile), 'utf8')
      expect(task).toContain("name: 'my-study'")
      for (const file of result.files) {
        expect(await readFile(join(result.dir, file), 'utf8')).not.toContain('{{name}}')
      }
    },
  )

  it('takes the name it is given, and refuses one npm would refuse', async () => {
    const result = await scaffold({ dir: join(root, 'a'), template: 'html', name: 'lexical.v2' })
    expect(result.name).toBe('lexical.v2')
    await expect(
      scaffold({ dir: join(root, 'b'), template: 'html', name: 'Bad Name' }),
    ).rejects.toMatchObject({ code: 'BAD_PROJECT_NAME' })
  })

  it('refuses a folder that is not empty, and leaves it as it was', async () => {
    const dir = join(root, 'taken')
    await mkdir(dir)
    await writeFile(join(dir, 'notes.txt'), 'mine')
    await expect(scaffold({ dir, template: 'react' })).rejects.toMatchObject({
      code: 'TARGET_NOT_EMPTY',
    })
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('mine')
    await expect(stat(join(dir, 'package.json'))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('takes a folder that holds only a git repository', async () => {
    const dir = join(root, 'repo')
    await mkdir(join(dir, '.git'), { recursive: true })
    await writeFile(join(dir, '.git', 'notes.json'), '{"keep": "{{name}}"}')
    const result = await scaffold({ dir, template: 'html' })
    expect(result.files).toContain('task.js')
    expect(result.files.some((file) => file.startsWith('.git/'))).toBe(false)
    expect(await readFile(join(dir, '.git', 'notes.json'), 'utf8')).toBe('{"keep": "{{name}}"}')
  })

  it('refuses a template it does not have', async () => {
    await expect(scaffold({ dir: join(root, 'x'), template: 'vue' })).rejects.toMatchObject({
      code: 'UNKNOWN_TEMPLATE',
      message: expect.stringContaining('react, html, jspsych') as string,
    })
  })
})

describe('projectNameFor', () => {
  it.each([
    ['/x/My Study', 'my-study'],
    ['/x/__lexical decision!!', 'lexical-decision'],
    ['/x/études', 'etudes'],
    ['/x/...', 'faust-task'],
  ])('makes %s into %s', (dir, name) => {
    expect(projectNameFor(dir)).toBe(name)
  })
})

/**
 * `main` with piped streams: not a terminal (so it never asks) unless
 * `answers` is given; each answer is typed when a question waits for it.
 */
async function runMain(
  args: string[],
  answers?: string[],
): Promise<{ code: number; out: string; err: string }> {
  const stdin = Object.assign(new PassThrough(), { isTTY: answers !== undefined })
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const toType = [...(answers ?? [])]
  let out = ''
  let err = ''
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString()
    if (out.endsWith('): ')) stdin.write(`${toType.shift() ?? ''}\n`)
  })
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
  const code = await main(args, { stdin, stdout, stderr })
  return { code, out, err }
}

describe('create-faust (main)', () => {
  it('makes the project and says what to type next', async () => {
    const dir = join(root, 'study')
    const { code, out } = await runMain([dir, '--template', 'jspsych'])
    expect(code).toBe(0)
    expect(out).toContain('from the jspsych template')
    expect(out).toContain('npm install')
    expect(out).toContain('npx faust run .')
    expect(JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'))).toMatchObject({
      name: 'study',
      dependencies: { '@faust/jspsych': `^${OWN_VERSION}` },
    })
  })

  it('takes the first template when it cannot ask', async () => {
    const { code, out } = await runMain([join(root, 'p'), '--name', 'p1'])
    expect(code).toBe(0)
    expect(out).toContain('p1')
    expect(out).toContain(`from the ${TEMPLATE_NAMES[0] ?? ''} template`)
  })

  it('answers 1 with the usage on a wrong flag, template or second folder', async () => {
    for (const args of [['--nope'], [join(root, 'q'), '-t', 'vue'], ['a', 'b']]) {
      const { code, err } = await runMain(args)
      expect(code).toBe(1)
      expect(err).toContain('Usage: npm create faust')
    }
  })

  it('asks for the folder and the template in a terminal, until the template exists', async () => {
    const dir = join(root, 'asked')
    const { code, out } = await runMain([], [dir, 'vue', '2'])
    expect(code).toBe(0)
    expect(out).toContain('Project folder (my-task): ')
    expect(out).toContain('No template "vue".')
    expect(out).toContain('from the html template')
    expect(JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'))).toMatchObject({
      name: 'asked',
    })
  })

  it('prints the usage on --help', async () => {
    const { code, out } = await runMain(['--help'])
    expect(code).toBe(0)
    expect(out).toMatch(/react +React \+ TypeScript/)
  })
})
