import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { prepareSite, taskConfigFor } from './prepare-site.js'

describe('prepareSite', () => {
  let root: string
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'faust-site-'))
    await mkdir(join(root, 'page', 'assets'), { recursive: true })
    await writeFile(join(root, 'page', 'index.html'), '<p>page</p>')
    await writeFile(join(root, 'page', 'assets', 'app.js'), 'app()')
    // A page's own stand-in for the provider script loses to the provider's.
    await writeFile(join(root, 'page', 'wrap_crowd_source.js'), 'stand-in')
    await writeFile(join(root, 'shared.css'), 'p {}')
    await symlink(join(root, 'shared.css'), join(root, 'page', 'linked.css'))
  })
  afterEach(async () => {
    await rm(root, { recursive: true, force: true })
  })

  const task = { name: 'label', taskConfig: { task_description: 'Label it' } }
  const provider = { wrapCrowdSourceScript: 'window.getWorkerName = () => "w"' }

  it('copies the page and adds the provider script, the client module and task_config.json', async () => {
    const siteDir = join(root, 'site')
    await prepareSite({ pageDir: join(root, 'page'), siteDir, task, provider })
    expect((await readdir(siteDir)).sort()).toEqual([
      'assets',
      'faust-client.js',
      'index.html',
      'linked.css',
      'task_config.json',
      'wrap_crowd_source.js',
    ])
    expect(await readFile(join(siteDir, 'assets', 'app.js'), 'utf8')).toBe('app()')
    expect(await readFile(join(siteDir, 'linked.css'), 'utf8')).toBe('p {}')
    expect(await readFile(join(siteDir, 'wrap_crowd_source.js'), 'utf8')).toBe(
      provider.wrapCrowdSourceScript,
    )
    expect(JSON.parse(await readFile(join(siteDir, 'task_config.json'), 'utf8'))).toEqual({
      task_title: 'label',
      task_description: 'Label it',
      mephisto_task_version: '2.0.4',
    })
  })

  it("serves @faust/client's single-module build, unless the page ships its own", async () => {
    const siteDir = join(root, 'site')
    await prepareSite({ pageDir: join(root, 'page'), siteDir, task, provider })
    const client = (await import(pathToFileURL(join(siteDir, 'faust-client.js')).href)) as {
      createTaskClient?: unknown
    }
    expect(typeof client.createTaskClient).toBe('function')

    await writeFile(join(root, 'page', 'faust-client.js'), 'export const own = true')
    await prepareSite({ pageDir: join(root, 'page'), siteDir, task, provider })
    expect(await readFile(join(siteDir, 'faust-client.js'), 'utf8')).toBe('export const own = true')
  })

  it('replaces what an earlier site held', async () => {
    const siteDir = join(root, 'site')
    await mkdir(siteDir)
    await writeFile(join(siteDir, 'stale.js'), 'old')
    await prepareSite({ pageDir: join(root, 'page'), siteDir, task, provider })
    expect(await readdir(siteDir)).not.toContain('stale.js')
  })

  it('refuses a site folder inside the page folder, or the other way round', async () => {
    const pageDir = join(root, 'page')
    await expect(
      prepareSite({ pageDir, siteDir: join(pageDir, 'site'), task, provider }),
    ).rejects.toThrow(/must not overlap/)
    await expect(prepareSite({ pageDir, siteDir: root, task, provider })).rejects.toThrow(
      /must not overlap/,
    )
  })
})

describe('taskConfigFor', () => {
  it('lets the task set its own title, but never the client version', () => {
    expect(
      taskConfigFor({
        name: 'label',
        taskConfig: { task_title: 'Label texts', mephisto_task_version: '1.0.0' },
      }),
    ).toEqual({ task_title: 'Label texts', mephisto_task_version: '2.0.4' })
  })
})
