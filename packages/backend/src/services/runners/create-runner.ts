import type { RunContext } from '../context/run-context.js'
import type { UploadFetcher } from '../context/upload-fetcher.js'
import type { QualityControl } from '../quality/quality-control.js'
import { ConcurrentRunner, type LiveSender } from './concurrent-runner.js'
import { StaticRunner, type StaticRunnerEvents } from './static-runner.js'
import type { TaskRunner } from './task-runner.js'

/** The runner for the task's type; concurrent tasks keep the static path for onboarding and submissions. */
export function createRunner(
  ctx: RunContext,
  parts: {
    readonly fetcher: UploadFetcher
    readonly events: StaticRunnerEvents
    /** Live data to pages (concurrent tasks). */
    readonly live: LiveSender
    /** The run's screening and golds, if any: submissions are scored. */
    readonly quality: QualityControl | null
  },
): TaskRunner {
  const staticRunner = new StaticRunner(ctx, parts)
  if (ctx.task.live === undefined) return staticRunner
  return new ConcurrentRunner(ctx, ctx.task.live, {
    staticRunner,
    events: parts.events,
    live: parts.live,
  })
}
