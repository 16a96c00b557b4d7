import { createReadStream } from 'node:fs'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { listAgents } from '../model/agents-model.js'
import { listErrors } from '../model/errors-model.js'
import { findFile, type StoredFile } from '../model/files-model.js'
import { readProgress } from '../model/progress-model.js'
import {
  listReview,
  REVIEW_STATUS_FILTERS,
  type ReviewStatusFilter,
} from '../model/review-model.js'
import { readRooms } from '../model/rooms-model.js'
import { leasedLiveRuns, listRuns } from '../model/runs-model.js'
import { readTimeline } from '../model/timeline-model.js'
import type { ConsoleContext } from './console-context.js'
import { ConsoleErrorCode, ConsoleHttpError } from './console-error.js'

type RunRequest = FastifyRequest<{ Params: { runId: string } }>

function notFound(what: string): ConsoleHttpError {
  return new ConsoleHttpError(404, ConsoleErrorCode.CONSOLE_NOT_FOUND, `no such ${what}`)
}

function badRequest(message: string): ConsoleHttpError {
  return new ConsoleHttpError(400, ConsoleErrorCode.CONSOLE_BAD_REQUEST, message)
}

/** The run of `:runId`, or a 404. */
async function requireRun(ctx: ConsoleContext, runId: string): Promise<void> {
  if ((await ctx.store.taskRuns.get(runId)) === null) throw notFound('run')
}

/** The console's read API (docs/console.md): JSON, times in ms since the epoch. */
export function registerReadRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { store } = ctx
  app.get('/api/session', (request) => ({
    csrf: ctx.sessions.csrfOf(request),
    dataDir: store.dataDir,
    live: ctx.live !== null,
    version: ctx.version,
  }))
  const live = ctx.live ?? leasedLiveRuns(store, ctx.clock)
  app.get('/api/runs', () => listRuns(store, live))
  app.get('/api/runs/:runId/progress', async (request: RunRequest) => {
    const progress = await readProgress(store, request.params.runId, ctx.clock)
    if (progress === null) throw notFound('run')
    return progress
  })
  app.get('/api/runs/:runId/agents', async (request: RunRequest) => {
    await requireRun(ctx, request.params.runId)
    return listAgents(store, request.params.runId)
  })
  app.get(
    '/api/agents/:agentId/timeline',
    async (request: FastifyRequest<{ Params: { agentId: string } }>) => {
      const timeline = await readTimeline(store, request.params.agentId)
      if (timeline === null) throw notFound('agent')
      return timeline
    },
  )
  app.get('/api/runs/:runId/rooms', async (request: RunRequest) => {
    await requireRun(ctx, request.params.runId)
    return readRooms(store, request.params.runId)
  })
  app.get('/api/runs/:runId/errors', async (request: RunRequest) => {
    await requireRun(ctx, request.params.runId)
    return listErrors(store, request.params.runId)
  })
  app.get('/api/runs/:runId/review', async (request: RunRequest) => {
    const query = request.query as Record<string, unknown>
    const review = await listReview(store, request.params.runId, reviewFilter(query))
    if (review === null) throw notFound('run')
    return review
  })
  app.get('/api/audit', async (request) => {
    const query = request.query as Record<string, unknown>
    const after = query['after']
    if (after !== undefined && (typeof after !== 'string' || !/^\d{1,15}$/.test(after)))
      throw badRequest('after must be an audit entry id')
    const run = query['run']
    if (run !== undefined && typeof run !== 'string') throw badRequest('run must be one run id')
    return store.audit.list({
      taskRunId: run,
      after: after === undefined ? undefined : Number(after),
    })
  })
  app.get(
    '/api/files/:fileId',
    async (request: FastifyRequest<{ Params: { fileId: string } }>, reply) => {
      const file = await findFile(store, request.params.fileId)
      if (file === null) throw notFound('file')
      return sendFile(reply, file)
    },
  )
}

/** The review queue's filter from the query string; `pending` by default. */
export function reviewFilter(query: Record<string, unknown>): {
  status: ReviewStatusFilter
  worker?: string
} {
  const status = query['status'] ?? 'pending'
  if (typeof status !== 'string' || !(REVIEW_STATUS_FILTERS as readonly string[]).includes(status))
    throw badRequest(`status must be one of ${REVIEW_STATUS_FILTERS.join(', ')}`)
  const worker = query['worker']
  if (worker !== undefined && typeof worker !== 'string')
    throw badRequest('worker must be one name')
  return {
    status: status as ReviewStatusFilter,
    ...(worker === undefined || worker === '' ? {} : { worker }),
  }
}

const SAFE_MIMETYPE = /^[\w.+-]+\/[\w.+-]+$/

/** A stored file as a download: never rendered in the console's origin. */
function sendFile(reply: FastifyReply, file: StoredFile): FastifyReply {
  const ascii = file.name.replaceAll(/[^\w.-]/g, '_').slice(0, 200) || 'file'
  return reply
    .header(
      'content-type',
      SAFE_MIMETYPE.test(file.mimetype) ? file.mimetype : 'application/octet-stream',
    )
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    )
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'no-store')
    .send(createReadStream(file.path))
}
