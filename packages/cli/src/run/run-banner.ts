import { plural } from '../plural.js'
import { workerLinks } from './worker-links.js'

/** What {@link formatRunBanner} announces. */
export interface RunBanner {
  readonly taskName: string
  readonly runId: string
  readonly units: readonly { readonly id: string }[]
  /** The task page's address, without a trailing slash. */
  readonly url: string
  /** For a remote router: the site folder it should serve. */
  readonly remoteSiteDir?: string | undefined
}

/** The lines printed when a run starts: the run, the task page, one worker link per unit. */
export function formatRunBanner(banner: RunBanner): string {
  return [
    `${banner.taskName}: run ${banner.runId}, ${plural(banner.units.length, 'unit')}`,
    ...(banner.remoteSiteDir === undefined
      ? []
      : [`Site for that router: ${banner.remoteSiteDir} (serve it with faust router --static)`]),
    `Task page: ${banner.url}/`,
    'Worker links, one per unit:',
    ...workerLinks(banner.url, banner.units).map((link) => `  ${link}`),
    'Ctrl-C stops the run (units in progress expire).',
    '',
  ].join('\n')
}
