/**
 * The 13 packet types of Mephisto's Architect API, exactly as they appear in
 * `packet_type` on the wire, and the two of Faust's `stored_acks` extension
 * (docs/protocol.md §14), which only a backend that announced it sends.
 */
export const PacketType = {
  ALIVE: 'alive',
  HEARTBEAT: 'heartbeat',
  REGISTER_AGENT: 'register_agent',
  AGENT_DETAILS: 'agent_details',
  SUBMIT_ONBOARDING: 'submit_onboarding',
  SUBMIT_UNIT: 'submit_unit',
  SUBMIT_METADATA: 'submit_metadata',
  MEPHISTO_BOUND_LIVE_UPDATE: 'mephisto_bound_live_update',
  CLIENT_BOUND_LIVE_UPDATE: 'client_bound_live_update',
  UPDATE_STATUS: 'update_status',
  REQUEST_STATUSES: 'request_statuses',
  RETURN_STATUSES: 'return_statuses',
  LOG_ERROR: 'log_error',
  /** Extension: the backend has re-announced its live agents after this `alive`. */
  FAUST_ANNOUNCED: 'faust_announced',
  /** Extension: the backend's answer to a held submission: stored, or why not. */
  FAUST_STORED: 'faust_stored',
} as const

/** One of the {@link PacketType} strings. */
export type PacketType = (typeof PacketType)[keyof typeof PacketType]

/** The reserved `subject_id` of system packets and of the backend's own socket. */
export const SYSTEM_SUBJECT_ID = 'mephisto'
