import type { ResumeSummary, RunProgress } from '@faust/backend'
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
  /** The crowd platform the run is published on; unset for the mock provider's links. */
  readonly platform?: { readonly type: string; readonly sandbox: boolean } | undefined
}

/** The lines printed when a run starts: the run, the task page, one worker link per unit. */
export function formatRunBanner(banner: RunBanner): string {
  return [
    `${banner.taskName}: run ${banner.runId}, ${plural(banner.units.length, 'unit')}`,
    ...(banner.remoteSiteDir === undefined
      ? []
      : [`Site for that router: ${banner.remoteSiteDir} (serve it with faust router --static)`]),
    `Task page: ${banner.url}/`,
    ...(banner.platform === undefined
      ? [
          'Worker links, one per unit:',
          ...workerLinks(banner.url, banner.units).map((link) => `  ${link}`),
        ]
      : [
          `Published on ${banner.platform.type}${banner.platform.sandbox ? ' (sandbox)' : ''}: workers arrive from there (faust reconcile and faust review act on it)`,
        ]),
    'Ctrl-C pauses the run: the next faust run of this task resumes it (--new-run starts afresh).',
    '',
  ].join('\n')
}

/**
 * The line saying that `faust run` took up the task's unfinished run rather
 * than start a new one (`--new-run` does that), and what resuming did.
 */
export function formatResumeLine(
  runId: string,
  resumed: ResumeSummary,
  progress: RunProgress,
): string {
  const kept = `${plural(resumed.kept, 'worker')} kept ${resumed.kept === 1 ? 'its' : 'their'} unit`
  const released = `${plural(resumed.released, 'reservation')} released`
  const onboarding =
    resumed.expiredOnboarding > 0
      ? `, ${plural(resumed.expiredOnboarding, 'onboarding')} expired`
      : ''
  return `resuming run ${runId}: ${String(progress.completed)} of ${plural(progress.total, 'unit')} done (${kept}, ${released}${onboarding}; --new-run starts a new run)\n`
}
