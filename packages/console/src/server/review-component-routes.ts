import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ConsoleContext } from './console-context.js'
import { ConsoleErrorCode, ConsoleHttpError } from './console-error.js'

// A task's own review view (docs/console.md, "The task's own review view"):
// `faust run` bundles it into `<data folder>/review/<task>.js` (and `.css`);
// these routes tell the UI whether there is one and serve it from the
// console's own origin, so the UI's `script-src 'self'` policy covers it.

type TaskRequest = FastifyRequest<{ Params: { task: string } }>

/** A task name as `defineTask` accepts it: nothing that could leave the folder. */
const TASK_NAME = /^[\w.-]{1,200}$/

/** Where the UI loads a task's review view from; `?v=` is the bundle's hash, so a rebuild moves it. */
export interface ReviewComponentView {
  readonly script: string
  readonly style: string | null
}

export function registerReviewComponentRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  app.get('/api/tasks/:task/review-component', async (request: TaskRequest) => {
    const task = taskOf(request)
    const script = await readBundle(ctx, task, 'js')
    if (script === null) return { component: null }
    const style = await readBundle(ctx, task, 'css')
    const base = `/api/tasks/${encodeURIComponent(task)}/review`
    const component: ReviewComponentView = {
      script: `${base}.js?v=${versionOf(script)}`,
      style: style === null ? null : `${base}.css?v=${versionOf(style)}`,
    }
    return { component }
  })
  app.get('/api/tasks/:task/review.js', async (request: TaskRequest, reply) =>
    sendBundle(reply, await readBundle(ctx, taskOf(request), 'js'), 'text/javascript'),
  )
  app.get('/api/tasks/:task/review.css', async (request: TaskRequest, reply) =>
    sendBundle(reply, await readBundle(ctx, taskOf(request), 'css'), 'text/css'),
  )
}

function taskOf(request: TaskRequest): string {
  const { task } = request.params
  if (!TASK_NAME.test(task)) {
    throw new ConsoleHttpError(400, ConsoleErrorCode.CONSOLE_BAD_REQUEST, 'not a task name')
  }
  return task
}

/** The bundle's bytes, or null when the task has none (or no folder is served). */
async function readBundle(
  ctx: ConsoleContext,
  task: string,
  extension: 'js' | 'css',
): Promise<Buffer | null> {
  if (ctx.reviewDir === null) return null
  try {
    return await readFile(join(ctx.reviewDir, `${task}.${extension}`))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

function versionOf(contents: Buffer): string {
  return createHash('sha256').update(contents).digest('hex').slice(0, 16)
}

function sendBundle(reply: FastifyReply, contents: Buffer | null, type: string): FastifyReply {
  if (contents === null) {
    throw new ConsoleHttpError(404, ConsoleErrorCode.CONSOLE_NOT_FOUND, 'no review component')
  }
  // Versioned addresses: a rebuilt bundle has a new one, so an old copy may be kept.
  return reply
    .header('content-type', `${type}; charset=utf-8`)
    .header('cache-control', 'private, max-age=31536000, immutable')
    .send(contents)
}
