import { rm } from 'node:fs/promises'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import * as v from 'valibot'
import {
  ErrorCode,
  LogErrorBody,
  MEPHISTO_TASK_VERSION,
  Reply,
  RequestAgentBody,
  SUBMISSION_ID_PATTERN,
  SubmitMetadataBody,
  SubmitOnboardingBody,
  SubmitTaskBody,
  checkJsonLimits,
  formatIssues,
  type Clock,
  type JsonLimits,
  type UploadDescriptor,
} from '@faust/protocol'
import type { TokenCheck } from '../auth/backend-token.js'
import type { HeldSubmission, Relay } from '../relay/relay.js'
import { RouterError } from '../relay/router-error.js'
import { submissionDigest } from './submission-digest.js'
import type { UploadGuard } from './upload-guard.js'
import { UPLOAD_NAME_PATTERN, groupByField, readMultipart } from './uploads.js'

/**
 * Uploads are the workers' bytes, fetched by the backend: never shown as a
 * page. A worker's `.html` or `.svg` opened from here would run as the
 * router's origin; as an attachment, never sniffed, in a sandbox, it cannot.
 */
const DOWNLOAD_HEADERS = {
  'content-disposition': 'attachment',
  'x-content-type-options': 'nosniff',
  'content-security-policy': 'sandbox',
} as const

/** What the routes need from the composition root. */
export interface RouteContext {
  readonly relay: Relay
  readonly clock: Clock
  readonly staticDir: string | undefined
  readonly uploadDir: string
  /** Workers' JSON limits, for the JSON a multipart body carries as text. */
  readonly jsonLimits: JsonLimits
  readonly checkToken: (request: FastifyRequest['raw']) => TokenCheck
  /** Bounds concurrent multipart uploads and their duration. */
  readonly uploads: UploadGuard
}

/** Registers the reference router's HTTP surface (docs/protocol.md §3). */
export function registerRoutes(app: FastifyInstance, context: RouteContext): void {
  const { relay, clock, staticDir, uploadDir } = context

  // Fastify parses text/plain into a string by default, so such a body reached
  // the routes and was refused as a 400 PACKET_INVALID. The routes take JSON
  // (and multipart where files are accepted) only: without a parser, Fastify
  // answers 415, mapped to UNSUPPORTED_MEDIA_TYPE.
  app.removeContentTypeParser('text/plain')

  app.get('/is_alive', () => Reply.IS_ALIVE)
  app.get('/get_timestamp', () => ({ timestamp: Math.round(clock.now()) }))

  if (staticDir !== undefined) {
    app.get('/task_config.json', (request, reply) => {
      const sent = (request.query as Record<string, string | undefined>)['mephisto_task_version']
      if (sent !== MEPHISTO_TASK_VERSION) relay.reportVersionMismatch(sent)
      return reply.header('cache-control', 'no-cache').sendFile('task_config.json')
    })
    app.get('/task_index', (_request, reply) => reply.sendFile('index.html'))
    app.get('/welcome', (_request, reply) => reply.sendFile('index.html'))
  }

  app.post('/request_agent', (request) =>
    relay.requestAgent(parseBody(RequestAgentBody, jsonBody(request))),
  )

  app.post('/submit_onboarding', (request) => {
    const submissionId = idempotencyKey(request)
    return relay.submitOnboarding(parseBody(SubmitOnboardingBody, jsonBody(request)), submissionId)
  })

  app.post('/submit_task', (request, reply) => submitTask(request, reply, context))
  app.post('/submit_metadata', (request, reply) => submitMetadata(request, reply, context))

  app.post('/log_error', (request) => {
    const body = parseBody(LogErrorBody, jsonBody(request))
    relay.logError({
      agentId: body.USED_AGENT_ID ?? null,
      data: body.error_data,
      clientTimestamp: body.client_timestamp ?? null,
    })
    return Reply.LOG_ERROR
  })

  // Uploads are for the backend only: it presents its secret, and only names
  // the router generated inside the upload folder can be asked for.
  app.get('/download_file/:name', (request, reply) => {
    if (context.checkToken(request.raw) !== 'valid') {
      throw new RouterError(ErrorCode.NOT_AUTHORIZED, 'downloads need the backend secret')
    }
    const { name } = request.params as { name: string }
    if (!UPLOAD_NAME_PATTERN.test(name)) {
      throw new RouterError(ErrorCode.NOT_FOUND, 'no such upload')
    }
    return reply
      .header('cache-control', 'no-store')
      .headers(DOWNLOAD_HEADERS)
      .sendFile(name, uploadDir)
  })
}

/** `POST /submit_task` (docs/protocol.md §3.4; held until stored with `stored_acks`, §14). */
async function submitTask(
  request: FastifyRequest,
  reply: FastifyReply,
  context: RouteContext,
): Promise<unknown> {
  const { fields, files } = await readFields(request, reply, context)
  let held: HeldSubmission | null
  try {
    const submissionId = idempotencyKey(request)
    const body = parseBody(SubmitTaskBody, fields)
    const finalData =
      body.final_string_data !== undefined ? body.final_string_data : body.final_data
    // Before the digest, which encodes the data again.
    assertJsonLimits(finalData, context.jsonLimits)
    held = context.relay.submitUnit(
      {
        agentId: body.USED_AGENT_ID,
        data: withFiles(finalData, files),
        clientTimestamp: body.client_timestamp ?? null,
        submissionId,
      },
      submissionDigest(finalData, files),
    )
  } catch (error) {
    await removeFiles(files)
    throw error
  }
  // With `stored_acks`, answered only once the backend has stored it.
  if (held !== null) await storedOrCleanedUp(held, files)
  return Reply.SUBMIT_TASK
}

/** `POST /submit_metadata` (docs/protocol.md §3.5; held as `/submit_task` is). */
async function submitMetadata(
  request: FastifyRequest,
  reply: FastifyReply,
  context: RouteContext,
): Promise<unknown> {
  const { fields, files } = await readFields(request, reply, context)
  let held: HeldSubmission | null
  try {
    const submissionId = idempotencyKey(request)
    const body = parseBody(SubmitMetadataBody, fields)
    assertJsonLimits(body.metadata, context.jsonLimits)
    held = context.relay.submitMetadata({
      agentId: body.USED_AGENT_ID,
      data: withFiles(body.metadata, files),
      clientTimestamp: body.client_timestamp ?? null,
      submissionId,
    })
  } catch (error) {
    await removeFiles(files)
    throw error
  }
  if (held !== null) await storedOrCleanedUp(held, files)
  return Reply.SUBMIT_METADATA
}

/**
 * The body of a JSON-only route. @fastify/multipart accepts multipart on every
 * route but leaves `body` undefined, which read as a 400 "must be a JSON
 * object"; the honest answer is that the media type is not accepted here.
 */
function jsonBody(request: FastifyRequest): unknown {
  if (request.isMultipart()) {
    throw new RouterError(
      ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      'send application/json: multipart bodies are accepted only by /submit_task and /submit_metadata',
    )
  }
  return request.body
}

/** Refusals after which the backend may still fetch the uploads (it may yet store them). */
const UNSETTLED_CODES: ReadonlySet<string> = new Set([
  ErrorCode.TIMEOUT,
  ErrorCode.BACKEND_UNAVAILABLE,
  ErrorCode.SHUTTING_DOWN,
])

/**
 * Waits for a held submission. The backend's refusal (`faust_stored` with
 * `ok: false`) means it is done with this attempt, so its uploads are removed
 * (a retry uploads them again); after a timeout or a lost backend they are
 * kept, as the backend may still be storing them.
 */
async function storedOrCleanedUp(
  held: HeldSubmission,
  files: readonly UploadDescriptor[] | null,
): Promise<void> {
  try {
    await held.stored
  } catch (error) {
    if (error instanceof RouterError && !UNSETTLED_CODES.has(error.code)) await removeFiles(files)
    throw error
  }
}

/**
 * The client's `Idempotency-Key` (the same for every retry of one
 * submission), or null.
 */
function idempotencyKey(request: FastifyRequest): string | null {
  const key = request.headers['idempotency-key']
  if (key === undefined) return null
  if (typeof key !== 'string' || !SUBMISSION_ID_PATTERN.test(key)) {
    throw new RouterError(
      ErrorCode.PACKET_INVALID,
      'Idempotency-Key must be 1 to 128 characters of A-Z, a-z, 0-9, _ and -',
    )
  }
  return key
}

function parseBody<TSchema extends v.GenericSchema>(
  schema: TSchema,
  body: unknown,
): v.InferOutput<TSchema> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RouterError(ErrorCode.PACKET_INVALID, 'the body must be a JSON object')
  }
  const parsed = v.safeParse(schema, body)
  if (!parsed.success) throw new RouterError(ErrorCode.PACKET_INVALID, formatIssues(parsed.issues))
  return parsed.output
}

async function readFields(
  request: FastifyRequest,
  reply: FastifyReply,
  context: RouteContext,
): Promise<{ fields: unknown; files: UploadDescriptor[] | null }> {
  if (!request.isMultipart()) return { fields: request.body, files: null }
  return context.uploads.run(request.raw, reply, (signal) =>
    readMultipart(request, context.uploadDir, signal),
  )
}

/**
 * The body parser checked the body's own JSON, but `final_string_data` and a
 * string `metadata` (in a JSON body or a multipart one) hold JSON as text that
 * the schema parses afterwards, unchecked until here.
 */
function assertJsonLimits(data: unknown, limits: JsonLimits): void {
  const checked = checkJsonLimits(data, limits)
  if (!checked.ok) throw new RouterError(checked.error.code, checked.error.message)
}

/**
 * Adds `files` and `filesByFields` to the data of a multipart body (even when
 * it carried no file, as the reference does); JSON bodies get neither.
 */
function withFiles(data: unknown, files: UploadDescriptor[] | null): unknown {
  if (files === null) return data
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new RouterError(ErrorCode.PACKET_INVALID, 'files can only be sent with object data')
  }
  return { ...data, files, filesByFields: groupByField(files) }
}

async function removeFiles(files: readonly UploadDescriptor[] | null): Promise<void> {
  if (files === null) return
  await Promise.all(files.map((file) => rm(file.path, { force: true })))
}
