import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify'
import { ErrorCode, type Logger } from '@faust/protocol'
import { RouterError } from '../relay/router-error.js'
import { httpStatusOf, retryAfterOf } from './http-status.js'

// Fastify and @fastify/multipart error codes, mapped to ours.
const CODE_BY_FASTIFY_CODE: Record<string, ErrorCode> = {
  FST_ERR_BAD_URL: ErrorCode.PACKET_INVALID,
  // Fastify 5's code for an unparsable JSON body (there is no
  // FST_ERR_CTP_INVALID_JSON): without it malformed JSON was a 500 INTERNAL.
  FST_ERR_CTP_INVALID_JSON_BODY: ErrorCode.MALFORMED_JSON,
  FST_ERR_CTP_EMPTY_JSON_BODY: ErrorCode.MALFORMED_JSON,
  FST_ERR_CTP_BODY_TOO_LARGE: ErrorCode.PAYLOAD_TOO_LARGE,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ErrorCode.PACKET_INVALID,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  FST_ERR_CTP_EMPTY_TYPE: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  FST_REQ_FILE_TOO_LARGE: ErrorCode.PAYLOAD_TOO_LARGE,
  FST_FILES_LIMIT: ErrorCode.PAYLOAD_TOO_LARGE,
  FST_FIELDS_LIMIT: ErrorCode.PAYLOAD_TOO_LARGE,
  FST_PARTS_LIMIT: ErrorCode.PAYLOAD_TOO_LARGE,
  FST_PROTO_VIOLATION: ErrorCode.PACKET_INVALID,
  FST_INVALID_MULTIPART_CONTENT_TYPE: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  // A multipart field sent as application/json that does not parse.
  FST_INVALID_JSON_FIELD_ERROR: ErrorCode.MALFORMED_JSON,
}

/** Converts anything thrown in a route into a {@link RouterError}. */
export function toRouterError(error: unknown): RouterError {
  if (error instanceof RouterError) return error
  const fastifyError = error as Partial<FastifyError>
  const mapped =
    fastifyError.code === undefined ? undefined : CODE_BY_FASTIFY_CODE[fastifyError.code]
  if (mapped !== undefined)
    return new RouterError(mapped, publicMessage(mapped, fastifyError), { cause: error })
  // @fastify/send refuses a static path that climbs out of its folder ('..'
  // once decoded, e.g. `/%2e%2e/x`) with a 403 http-error, and a path with a
  // NUL byte with a 400. Both are the client's doing, not bugs: without this
  // they were answered 500 INTERNAL and logged as errors. To the client such a
  // path names no file, and saying so does not confirm anything exists outside.
  if (isStaticPathRefusal(error)) {
    return new RouterError(ErrorCode.NOT_FOUND, 'no such route or file', { cause: error })
  }
  // Multipart parsing errors from busboy ("Unexpected end of form", …) carry no code.
  if (error instanceof Error && /multipart|form/i.test(error.message)) {
    return new RouterError(ErrorCode.PACKET_INVALID, `malformed multipart body: ${error.message}`, {
      cause: error,
    })
  }
  return new RouterError(ErrorCode.INTERNAL, 'internal error', { cause: error })
}

/** An http-errors 400/403 from @fastify/send: `expose` marks a client error safe to describe. */
function isStaticPathRefusal(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const { expose, status } = error as { expose?: unknown; status?: unknown }
  return expose === true && (status === 400 || status === 403)
}

function publicMessage(code: ErrorCode, error: Partial<FastifyError>): string {
  switch (code) {
    case ErrorCode.MALFORMED_JSON:
      return 'the body is not valid JSON'
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return `the body is over a configured limit (${error.message ?? 'too large'})`
    case ErrorCode.UNSUPPORTED_MEDIA_TYPE:
      return 'send application/json (or multipart/form-data where files are accepted)'
    default:
      return error.message ?? code
  }
}

/** Answers with `error`'s status and its `{ error: { code, message } }` body. */
export function sendRouterError(reply: FastifyReply, error: RouterError): void {
  const status = httpStatusOf(error.code)
  // Every 503 and 504 may be retried, and says when (a route may have set its own).
  if ((status === 503 || status === 504) && !reply.hasHeader('retry-after')) {
    void reply.header('retry-after', String(retryAfterOf(error.code)))
  }
  void reply.code(status).send(error.toWire())
}

/** Every error leaves as `{ error: { code, message } }`; stacks go only to the log. */
export function installErrorHandling(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((error, request, reply) => {
    const routerError = toRouterError(error)
    if (routerError.code === ErrorCode.INTERNAL) {
      logger.error({ err: error, url: request.url }, 'unexpected error in a route')
    }
    sendRouterError(reply, routerError)
  })
  app.setNotFoundHandler((request, reply) => {
    sendRouterError(
      reply,
      new RouterError(
        ErrorCode.NOT_FOUND,
        `no such route or file: ${request.method} ${request.url.split('?')[0] ?? ''}`,
      ),
    )
  })
}
