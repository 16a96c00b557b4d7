import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { CrowdProvider, TaskDefinition } from '@faust/backend'
import type { RouterOptions } from '@faust/router'
import type { Logger } from 'pino'
import { prepareSite } from '../site/prepare-site.js'
import type { Architect } from './architect.js'
import { startLocalArchitect } from './local-architect.js'
import { remoteArchitect } from './remote-architect.js'

/** Which router a run uses: one started here, or one already running (`faust router`). */
export type ArchitectChoice =
  | {
      readonly kind: 'local'
      readonly host: string
      readonly port: number
      /** The local router's flags (uploads, security headers, Origin check, JSON limits); a remote router has its own. */
      readonly surface?: Partial<RouterOptions> | undefined
    }
  | { readonly kind: 'remote'; readonly url: string; readonly token: string }

/** Options of {@link openArchitect}. */
export interface OpenArchitectOptions {
  readonly choice: ArchitectChoice
  readonly task: TaskDefinition
  readonly pageDir: string
  readonly provider: CrowdProvider
  /** The data folder: sites go to `sites/`, a local router's uploads to `uploads/`. */
  readonly dataDir: string
  readonly logger: Logger
}

/** An {@link Architect} and the site folder prepared for it. */
export interface OpenedArchitect extends Architect {
  /** The folder with the page, `wrap_crowd_source.js` and `task_config.json`. */
  readonly siteDir: string
}

/**
 * Prepares the task's site and gets a router for it. A local router serves a
 * fresh copy, removed when it closes. A remote router serves its own
 * `--static` folder, so the site is left in `<dataDir>/sites/<task>` to be
 * copied there.
 */
export async function openArchitect(options: OpenArchitectOptions): Promise<OpenedArchitect> {
  const { choice, task } = options
  const sitesDir = join(options.dataDir, 'sites')
  await mkdir(sitesDir, { recursive: true })
  const siteDir =
    choice.kind === 'local'
      ? await mkdtemp(join(sitesDir, `${task.name}-`))
      : join(sitesDir, task.name)
  const prepare = (): Promise<void> =>
    prepareSite({ pageDir: options.pageDir, siteDir, task, provider: options.provider })
  if (choice.kind === 'remote') {
    await prepare()
    return { ...remoteArchitect({ url: choice.url, token: choice.token }), siteDir }
  }
  const removeSite = (): Promise<void> => rm(siteDir, { recursive: true, force: true })
  let architect: Architect
  try {
    await prepare()
    architect = await startLocalArchitect({
      host: choice.host,
      port: choice.port,
      surface: choice.surface,
      siteDir,
      uploadDir: join(options.dataDir, 'uploads'),
      logger: options.logger,
    })
  } catch (error) {
    await removeSite()
    throw error
  }
  return {
    ...architect,
    siteDir,
    close: async () => {
      await architect.close()
      await removeSite()
    },
  }
}
