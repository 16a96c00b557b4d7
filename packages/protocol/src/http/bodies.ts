import * as v from 'valibot'
import { JsonObject, SubjectId } from '../packets/envelope.js'
import { ProviderData } from '../packets/packets.js'

// The page sends `client_timestamp` as float seconds; the reference coerces
// strings with Number(), so a numeric string is accepted too.
const ClientTimestamp = v.nullish(
  v.union([v.number(), v.pipe(v.string(), v.decimal(), v.transform(Number))]),
)

/** `POST /request_agent`: the provider's registration data. */
export const RequestAgentBody = v.looseObject({
  provider_data: ProviderData,
  client_timestamp: ClientTimestamp,
})

/** `POST /submit_onboarding`: the onboarding agent's answers. */
export const SubmitOnboardingBody = v.looseObject({
  provider_data: v.looseObject({
    USED_AGENT_ID: SubjectId,
    onboarding_data: v.optional(v.unknown()),
  }),
  client_timestamp: ClientTimestamp,
})

/** A JSON string that must itself parse, e.g. `final_string_data`. */
export const JsonString = v.pipe(
  v.string(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    try {
      return JSON.parse(dataset.value) as unknown
    } catch {
      addIssue({ message: 'is not a valid JSON string' })
      return NEVER
    }
  }),
)

/**
 * `POST /submit_task` fields (JSON body, or the text fields of a multipart
 * body): `final_data`, or `final_string_data` holding JSON (which wins when
 * both are present, as in the reference).
 */
export const SubmitTaskBody = v.pipe(
  v.looseObject({
    USED_AGENT_ID: SubjectId,
    final_data: v.optional(v.unknown()),
    final_string_data: v.optional(JsonString),
    client_timestamp: ClientTimestamp,
  }),
  v.check(
    (body) => body.final_data !== undefined || body.final_string_data !== undefined,
    'final_data: either final_data or final_string_data is required',
  ),
)

/** `POST /submit_metadata` fields: `metadata` as an object, or as a JSON string (multipart). */
export const SubmitMetadataBody = v.looseObject({
  USED_AGENT_ID: SubjectId,
  metadata: v.union([JsonObject, v.pipe(JsonString, JsonObject)]),
  client_timestamp: ClientTimestamp,
})

/** `POST /log_error`: an error report; `USED_AGENT_ID` may be null before registration. */
export const LogErrorBody = v.pipe(
  v.looseObject({
    USED_AGENT_ID: v.nullish(SubjectId),
    error_data: v.unknown(),
    client_timestamp: ClientTimestamp,
  }),
  v.check((body) => body.error_data !== undefined, 'error_data: is required'),
)

export type RequestAgentBody = v.InferOutput<typeof RequestAgentBody>
export type SubmitOnboardingBody = v.InferOutput<typeof SubmitOnboardingBody>
export type SubmitTaskBody = v.InferOutput<typeof SubmitTaskBody>
export type SubmitMetadataBody = v.InferOutput<typeof SubmitMetadataBody>
export type LogErrorBody = v.InferOutput<typeof LogErrorBody>

/** The reference's exact reply bodies; consumers compare these strings. */
export const Reply = {
  SUBMIT_TASK: { status: 'Submitted!' },
  SUBMIT_METADATA: { status: 'Submitted metadata' },
  LOG_ERROR: { status: 'Error log sent!' },
  IS_ALIVE: { status: 'Alive!' },
} as const
