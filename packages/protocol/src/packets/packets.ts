import * as v from 'valibot'
import { AGENT_STATUSES } from '../codes/agent-status.js'
import { ErrorCode } from '../codes/error-code.js'
import { MAX_SUBMISSION_ID_LENGTH, SUBMISSION_ID_PATTERN } from '../codes/faust-extensions.js'
import { PacketType } from '../codes/packet-type.js'
import { JsonObject, SubjectId, envelopeEntries } from './envelope.js'

// Every packet is a loose object: the reference ignores unknown keys and
// forwards them untouched, so Faust keeps them too instead of stripping them.

/** `alive`: a socket says who it is (`mephisto` for the backend, else an agent id). */
export const AlivePacket = v.looseObject({
  ...envelopeEntries,
  packet_type: v.literal(PacketType.ALIVE),
  data: v.optional(JsonObject),
})

/** `heartbeat`: browser ping (no `data`) and the router's echo (with `data`). */
export const HeartbeatPacket = v.looseObject({
  ...envelopeEntries,
  packet_type: v.literal(PacketType.HEARTBEAT),
  data: v.optional(
    v.looseObject({
      last_mephisto_ping: v.optional(v.number()),
      status: v.optional(v.picklist(AGENT_STATUSES)),
    }),
  ),
})

/** The provider's registration data: `getAgentRegistration()` in the page. */
export const ProviderData = v.looseObject({
  worker_name: v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
  agent_registration_id: v.pipe(v.string(), v.minLength(1), v.maxLength(512)),
})

/** `register_agent`: built by the router from `POST /request_agent`. */
export const RegisterAgentPacket = v.looseObject({
  ...envelopeEntries,
  packet_type: v.literal(PacketType.REGISTER_AGENT),
  data: v.looseObject({ provider_data: ProviderData, request_id: SubjectId }),
})

/** `agent_details`: the backend's answer to a registration or an onboarding submission. */
export const AgentDetailsPacket = v.looseObject({
  ...envelopeEntries,
  packet_type: v.literal(PacketType.AGENT_DETAILS),
  data: v.looseObject({
    request_id: v.nullish(SubjectId),
    worker_id: v.nullish(v.string()),
    agent_id: v.nullable(SubjectId),
    init_task_data: v.optional(v.unknown()),
    failure_reason: v.nullish(v.string()),
  }),
})

/**
 * `faust_ack` (extension `stored_acks`, docs/protocol.md §14): set by the
 * router on a submission to a backend that announced the extension; the
 * backend answers `faust_stored` with the same `request_id`.
 */
export const FaustAck = v.object({
  request_id: SubjectId,
  /** The client's idempotency key: every retry of one submission sends the same. */
  submission_id: v.nullable(
    v.pipe(v.string(), v.maxLength(MAX_SUBMISSION_ID_LENGTH), v.regex(SUBMISSION_ID_PATTERN)),
  ),
})

/** `submit_onboarding`: built by the router from `POST /submit_onboarding`. */
export const SubmitOnboardingPacket = v.looseObject({
  ...envelopeEntries,
  packet_type: v.literal(PacketType.SUBMIT_ONBOARDING),
  data: v.looseObject({ onboarding_data: v.unknown(), request_id: SubjectId }),
  faust_ack: v.optional(FaustAck),
})

/** One uploaded file as described to the backend (multer's descriptor keys). */
export const UploadDescriptor = v.looseObject({
  fieldname: v.string(),
  originalname: v.string(),
  encoding: v.string(),
  mimetype: v.string(),
  destination: v.string(),
  filename: v.string(),
  path: v.string(),
  size: v.number(),
})

/** `submit_unit`: built by the router from `POST /submit_task`; `data` is the task's final data. */
export const SubmitUnitPacket = v.looseObject({
  ...envelopeEntries,
  packet_type: v.literal(PacketType.SUBMIT_UNIT),
  data: v.unknown(),
  faust_ack: v.optional(FaustAck),
})

/** `submit_metadata`: built by the router from `POST /submit_metadata`. */
export const SubmitMetadataPacket = v.looseObject({
  ...envelopeEntries,
  packet_type: v.literal(PacketType.SUBMIT_METADATA),
  data: JsonObject,
  faust_ack: v.optional(FaustAck),
})

/** `mephisto_bound_live_update`: live data from a worker's page to the backend. */
export const MephistoBoundLiveUpdatePacket = v.looseObject({
  ...envelopeEntries,
  packet_type: v.literal(PacketType.MEPHISTO_BOUND_LIVE_UPDATE),
  data: JsonObject,
})

/** `client_bound_live_update`: live data from the backend to a worker's page. */
export const ClientBoundLiveUpdatePacket = v.looseObject({
  ...envelopeEntries,
  packet_type: v.literal(PacketType.CLIENT_BOUND_LIVE_UPDATE),
  data: JsonObject,
})

/** `update_status`: the authoritative status of an agent, pushed by the backend. */
export const UpdateStatusPacket = v.looseObject({
  ...envelopeEntries,
  packet_type: v.literal(PacketType.UPDATE_STATUS),
  data: v.looseObject({ status: v.picklist(AGENT_STATUSES) }),
})

/** `request_statuses`: the backend's status poll and keep-alive. */
export const RequestStatusesPacket = v.looseObject({
  ...envelopeEntries,
  packet_type: v.literal(PacketType.REQUEST_STATUSES),
  data: v.optional(JsonObject),
})

/** `return_statuses`: the router's cached status of every agent it knows. */
export const ReturnStatusesPacket = v.looseObject({
  ...envelopeEntries,
  packet_type: v.literal(PacketType.RETURN_STATUSES),
  data: v.record(v.string(), v.string()),
})

/** `log_error`: an error report from a page or the router; `subject_id` may be null. */
export const LogErrorPacket = v.looseObject({
  ...envelopeEntries,
  subject_id: v.nullable(SubjectId),
  packet_type: v.literal(PacketType.LOG_ERROR),
  data: v.unknown(),
})

/** `faust_announced` (extension): every live agent has had its `update_status` since the `alive`. */
export const FaustAnnouncedPacket = v.looseObject({
  ...envelopeEntries,
  packet_type: v.literal(PacketType.FAUST_ANNOUNCED),
  data: v.optional(JsonObject),
})

/** `faust_stored` (extension): the held submission `request_id` is durably stored, or why not. */
export const FaustStoredPacket = v.looseObject({
  ...envelopeEntries,
  packet_type: v.literal(PacketType.FAUST_STORED),
  data: v.variant('ok', [
    v.looseObject({ request_id: SubjectId, ok: v.literal(true) }),
    v.looseObject({
      request_id: SubjectId,
      ok: v.literal(false),
      code: v.picklist(Object.values(ErrorCode)),
      message: v.pipe(v.string(), v.maxLength(1000)),
    }),
  ]),
})

/** Every packet of the wire contract, discriminated on `packet_type`. */
export const Packet = v.variant('packet_type', [
  AlivePacket,
  HeartbeatPacket,
  RegisterAgentPacket,
  AgentDetailsPacket,
  SubmitOnboardingPacket,
  SubmitUnitPacket,
  SubmitMetadataPacket,
  MephistoBoundLiveUpdatePacket,
  ClientBoundLiveUpdatePacket,
  UpdateStatusPacket,
  RequestStatusesPacket,
  ReturnStatusesPacket,
  LogErrorPacket,
  FaustAnnouncedPacket,
  FaustStoredPacket,
])

/** Packets a worker's page may send to the router over its socket. */
export const AgentToRouterPacket = v.variant('packet_type', [
  AlivePacket,
  HeartbeatPacket,
  MephistoBoundLiveUpdatePacket,
  LogErrorPacket,
])

/** Packets the backend may send to the router over its socket. */
export const BackendToRouterPacket = v.variant('packet_type', [
  AlivePacket,
  AgentDetailsPacket,
  UpdateStatusPacket,
  ClientBoundLiveUpdatePacket,
  RequestStatusesPacket,
  FaustAnnouncedPacket,
  FaustStoredPacket,
])

/** Packets the router sends to the backend. */
export const RouterToBackendPacket = v.variant('packet_type', [
  RegisterAgentPacket,
  SubmitOnboardingPacket,
  SubmitUnitPacket,
  SubmitMetadataPacket,
  MephistoBoundLiveUpdatePacket,
  ReturnStatusesPacket,
  LogErrorPacket,
])

/** Packets the router sends to a worker's page. */
export const RouterToAgentPacket = v.variant('packet_type', [
  UpdateStatusPacket,
  ClientBoundLiveUpdatePacket,
  HeartbeatPacket,
])

export type AlivePacket = v.InferOutput<typeof AlivePacket>
export type HeartbeatPacket = v.InferOutput<typeof HeartbeatPacket>
export type ProviderData = v.InferOutput<typeof ProviderData>
export type RegisterAgentPacket = v.InferOutput<typeof RegisterAgentPacket>
export type AgentDetailsPacket = v.InferOutput<typeof AgentDetailsPacket>
export type SubmitOnboardingPacket = v.InferOutput<typeof SubmitOnboardingPacket>
export type UploadDescriptor = v.InferOutput<typeof UploadDescriptor>
export type SubmitUnitPacket = v.InferOutput<typeof SubmitUnitPacket>
export type SubmitMetadataPacket = v.InferOutput<typeof SubmitMetadataPacket>
export type MephistoBoundLiveUpdatePacket = v.InferOutput<typeof MephistoBoundLiveUpdatePacket>
export type ClientBoundLiveUpdatePacket = v.InferOutput<typeof ClientBoundLiveUpdatePacket>
export type UpdateStatusPacket = v.InferOutput<typeof UpdateStatusPacket>
export type RequestStatusesPacket = v.InferOutput<typeof RequestStatusesPacket>
export type ReturnStatusesPacket = v.InferOutput<typeof ReturnStatusesPacket>
export type LogErrorPacket = v.InferOutput<typeof LogErrorPacket>
export type FaustAck = v.InferOutput<typeof FaustAck>
export type FaustAnnouncedPacket = v.InferOutput<typeof FaustAnnouncedPacket>
export type FaustStoredPacket = v.InferOutput<typeof FaustStoredPacket>
export type Packet = v.InferOutput<typeof Packet>
export type AgentToRouterPacket = v.InferOutput<typeof AgentToRouterPacket>
export type BackendToRouterPacket = v.InferOutput<typeof BackendToRouterPacket>
export type RouterToBackendPacket = v.InferOutput<typeof RouterToBackendPacket>
export type RouterToAgentPacket = v.InferOutput<typeof RouterToAgentPacket>
