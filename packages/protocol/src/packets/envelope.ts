import * as v from 'valibot'

/** Longest `subject_id` accepted: agent, request and channel ids are far shorter. */
export const MAX_SUBJECT_ID_LENGTH = 256

/** A wire timestamp: float seconds since the epoch, or null when not set. */
export const Timestamp = v.nullish(v.number())

/** A `subject_id`: an agent id, a request id, a channel id or `mephisto`. */
export const SubjectId = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_SUBJECT_ID_LENGTH))

/**
 * Any JSON object (not an array, not null). Passed through as it is, keys and
 * all, as the reference keeps them, and without a copy on the hot path.
 */
export const JsonObject = v.custom<Record<string, unknown>>(
  (input) => typeof input === 'object' && input !== null && !Array.isArray(input),
  'must be a JSON object',
)

/**
 * The envelope fields besides `packet_type` and `data`. All four timestamps
 * are optional: browsers send only `client_timestamp`, the backend all four.
 */
export const envelopeEntries = {
  subject_id: SubjectId,
  client_timestamp: Timestamp,
  router_incoming_timestamp: Timestamp,
  router_outgoing_timestamp: Timestamp,
  server_timestamp: Timestamp,
} as const

/** The four timestamp keys of the envelope. */
export interface Timestamps {
  client_timestamp?: number | null | undefined
  router_incoming_timestamp?: number | null | undefined
  router_outgoing_timestamp?: number | null | undefined
  server_timestamp?: number | null | undefined
}
