import type { FastifyInstance, FastifyRequest } from 'fastify'
import * as v from 'valibot'
import type { ReviewAction, ReviewOutcome } from '@faust/backend'
import type { RunChange, WorkerActionResult } from '../console-actions.js'
import { listReview, REVIEW_STATUS_FILTERS } from '../model/review-model.js'
import type { ConsoleContext } from './console-context.js'
import { ConsoleErrorCode, ConsoleHttpError } from './console-error.js'

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(200))
const Reason = v.pipe(v.string(), v.maxLength(2000))
const RequiredReason = v.pipe(Reason, v.trim(), v.minLength(1))

const ReviewActionSchema = v.variant('kind', [
  v.strictObject({ kind: v.literal('approve'), target: Id }),
  v.strictObject({
    kind: v.literal('reject'),
    target: Id,
    reason: RequiredReason,
    category: v.optional(v.pipe(v.string(), v.maxLength(100))),
  }),
  v.strictObject({ kind: v.literal('soft_reject'), target: Id, reason: v.optional(Reason) }),
  v.strictObject({
    kind: v.literal('bonus'),
    target: Id,
    amountCents: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000)),
    reason: RequiredReason,
  }),
])

const ReviewBody = v.strictObject({ taskName: Id, action: ReviewActionSchema })

const BulkBody = v.pipe(
  v.strictObject({
    runId: Id,
    filter: v.strictObject({
      status: v.picklist(REVIEW_STATUS_FILTERS),
      worker: v.optional(Id),
    }),
    action: v.strictObject({
      kind: v.picklist(['approve', 'reject', 'soft_reject']),
      reason: v.optional(Reason),
    }),
  }),
  v.check(
    (body) => body.action.kind !== 'reject' || (body.action.reason ?? '').trim() !== '',
    'a rejection needs a reason',
  ),
)

const BlockBody = v.strictObject({ reason: v.optional(Reason) })
const UnblockBody = v.strictObject({})
const QualifyBody = v.strictObject({
  qualification: Id,
  value: v.pipe(v.number(), v.integer()),
})

const Count = v.pipe(v.number(), v.integer(), v.minValue(0))
const RunChangeSchema = v.variant('kind', [
  v.strictObject({ kind: v.literal('pause') }),
  v.strictObject({ kind: v.literal('resume') }),
  v.strictObject({
    kind: v.literal('set'),
    setting: v.picklist([
      'maxConcurrentUnits',
      'maximumUnitsPerWorker',
      'allowedConcurrent',
      'assignmentDurationSeconds',
    ]),
    value: Count,
  }),
  v.strictObject({
    kind: v.literal('add_items'),
    items: v.pipe(v.array(v.unknown()), v.minLength(1), v.maxLength(10_000)),
  }),
  v.strictObject({
    kind: v.literal('expire_units'),
    units: v.union([v.literal('unassigned'), v.pipe(v.array(Id), v.minLength(1))]),
  }),
  v.strictObject({ kind: v.literal('end') }),
])
const ChangeBody = v.strictObject({ change: RunChangeSchema })

/** The body parsed by `schema`, or a CONSOLE_BAD_REQUEST naming the first problem. */
function parseBody<TSchema extends v.GenericSchema>(
  schema: TSchema,
  body: unknown,
): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, body)
  if (result.success) return result.output
  const issue = result.issues[0]
  const path = issue.path?.map((item) => String(item.key)).join('.')
  throw new ConsoleHttpError(
    400,
    ConsoleErrorCode.CONSOLE_BAD_REQUEST,
    `${path === undefined || path === '' ? 'body' : path}: ${issue.message}`,
  )
}

/** An action's own coded failure (RUN_NOT_FOUND, RUN_CHANGE_INVALID …) as an HTTP answer. */
async function act<TResult>(call: () => Promise<TResult>): Promise<TResult> {
  try {
    return await call()
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code
    if (typeof code !== 'string' || !/^[A-Z][A-Z0-9_]+$/.test(code)) throw error
    const status = code.endsWith('NOT_FOUND') ? 404 : 409
    throw new ConsoleHttpError(status, code, (error as Error).message)
  }
}

type WorkerRequest = FastifyRequest<{ Params: { workerId: string } }>

/**
 * A worker action's answer with the API's fields only: an implementation may
 * return more (the CLI's carries the worker's stored record), which the
 * browser has no use for.
 */
async function workerAnswer(call: () => Promise<WorkerActionResult>): Promise<WorkerActionResult> {
  const done = await act(call)
  return {
    result: done.result,
    ...(done.error === undefined ? {} : { error: done.error }),
    ...(done.platform === undefined ? {} : { platform: done.platform }),
  }
}

/** The console's actions (docs/console.md): each POST validated, then handed to `ctx.actions`. */
export function registerActionRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { actions } = ctx
  app.post('/api/review', async (request) => {
    const body = parseBody(ReviewBody, request.body)
    const action = body.action as ReviewAction
    return { outcomes: await act(() => actions.review({ taskName: body.taskName, action })) }
  })
  app.post('/api/review/bulk', async (request) => {
    const body = parseBody(BulkBody, request.body)
    return { outcomes: await reviewBulk(ctx, body) }
  })
  app.post('/api/workers/:workerId/block', async (request: WorkerRequest) => {
    const body = parseBody(BlockBody, request.body)
    return workerAnswer(() =>
      actions.blockWorker({ workerId: request.params.workerId, reason: body.reason }),
    )
  })
  app.post('/api/workers/:workerId/unblock', async (request: WorkerRequest) => {
    parseBody(UnblockBody, request.body)
    return workerAnswer(() => actions.unblockWorker({ workerId: request.params.workerId }))
  })
  app.post('/api/workers/:workerId/qualify', async (request: WorkerRequest) => {
    const body = parseBody(QualifyBody, request.body)
    return workerAnswer(() => actions.qualifyWorker({ workerId: request.params.workerId, ...body }))
  })
  app.post(
    '/api/runs/:runId/change',
    async (request: FastifyRequest<{ Params: { runId: string } }>) => {
      const body = parseBody(ChangeBody, request.body)
      const change = body.change as RunChange
      return act(() => actions.changeRun({ taskRunId: request.params.runId, change }))
    },
  )
}

/** One action per unit the review filter shows now, in queue order; every outcome returned. */
async function reviewBulk(
  ctx: ConsoleContext,
  body: v.InferOutput<typeof BulkBody>,
): Promise<ReviewOutcome[]> {
  const items = await listReview(ctx.store, body.runId, body.filter)
  if (items === null)
    throw new ConsoleHttpError(404, ConsoleErrorCode.CONSOLE_NOT_FOUND, 'no such run')
  const outcomes: ReviewOutcome[] = []
  for (const item of items) {
    const target = item.unitId
    const { kind, reason } = body.action
    const action: ReviewAction =
      kind === 'approve'
        ? { kind, target }
        : kind === 'reject'
          ? { kind, target, reason: reason ?? '' }
          : { kind, target, reason }
    outcomes.push(...(await act(() => ctx.actions.review({ taskName: item.taskName, action }))))
  }
  return outcomes
}
