import { access, cp, mkdir, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import { taskConfigFor, type CrowdProvider, type TaskDefinition } from '@faust/backend'

export { taskConfigFor } from '@faust/backend'

/** The provider script's name: Mephisto pages load `wrap_crowd_source.js` beside `index.html`. */
export const WRAP_CROWD_SOURCE_FILE = 'wrap_crowd_source.js'

/**
 * `@faust/client` as one ES module: a page without a build step imports it
 * from `./faust-client.js` (docs/packages.md, "A page without a build step").
 */
export const CLIENT_MODULE_FILE = 'faust-client.js'

/** The page's configuration, read by the page with `GET /task_config.json`. */
export const TASK_CONFIG_FILE = 'task_config.json'

/** Options of {@link prepareSite}. */
export interface PrepareSiteOptions {
  /** The built page (with `index.html`). */
  readonly pageDir: string
  /** The folder to fill; replaced if it exists. */
  readonly siteDir: string
  readonly task: Pick<TaskDefinition, 'name' | 'taskConfig'>
  readonly provider: Pick<CrowdProvider, 'wrapCrowdSourceScript'>
}

/**
 * Builds the folder a router serves for a task, as Mephisto's `build_router`
 * does: a copy of the page, the provider's `wrap_crowd_source.js`, and
 * `task_config.json`. The two generated files replace any copies in the page:
 * the provider and the task decide them, not the page's build. Beside them
 * goes `faust-client.js`, unless the page ships its own copy.
 */
export async function prepareSite(options: PrepareSiteOptions): Promise<void> {
  const pageDir = resolve(options.pageDir)
  const siteDir = resolve(options.siteDir)
  if (isInside(siteDir, pageDir) || isInside(pageDir, siteDir)) {
    throw new Error(`the site folder ${siteDir} and the page folder ${pageDir} must not overlap`)
  }
  await rm(siteDir, { recursive: true, force: true })
  await mkdir(siteDir, { recursive: true })
  // Links are followed so the site stands alone, whatever the page links to.
  await cp(pageDir, siteDir, { recursive: true, dereference: true })
  await writeFile(join(siteDir, WRAP_CROWD_SOURCE_FILE), options.provider.wrapCrowdSourceScript)
  await addClientModule(siteDir)
  await writeFile(
    join(siteDir, TASK_CONFIG_FILE),
    `${JSON.stringify(taskConfigFor(options.task), null, 2)}\n`,
  )
}

/**
 * Copies the installed `@faust/client`'s single-module build into the site,
 * so a plain HTML page gets the client of the same version as the router it
 * talks to. A page that vendors its own copy keeps it.
 */
async function addClientModule(siteDir: string): Promise<void> {
  const target = join(siteDir, CLIENT_MODULE_FILE)
  const present = await access(target).then(
    () => true,
    () => false,
  )
  if (present) return
  const source = createRequire(import.meta.url).resolve('@faust/client/module')
  await cp(source, target)
}

/** Whether `path` is `dir` or lies inside it. */
function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}
