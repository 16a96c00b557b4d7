// The wire contract of Mephisto's Architect API, as code: the single source of
// truth for router, backend and client. No Node or DOM imports.

// Codes
export { PacketType, SYSTEM_SUBJECT_ID } from './codes/packet-type.js'
export {
  AgentStatus,
  AGENT_STATUSES,
  LIVE_AGENT_STATUSES,
  FINAL_AGENT_STATUSES,
  isAgentStatus,
} from './codes/agent-status.js'
export { FailureReason } from './codes/failure-reason.js'
export { ErrorCode, CloseCode } from './codes/error-code.js'
export {
  FaustExtension,
  FAUST_EXTENSION_VERSIONS,
  faustAliveData,
  announcedExtensions,
  MAX_SUBMISSION_ID_LENGTH,
  SUBMISSION_ID_PATTERN,
} from './codes/faust-extensions.js'
export type { WireError } from './codes/error-code.js'
export { MEPHISTO_TASK_VERSION, versionMismatchText } from './version.js'

// Packets
export { MAX_SUBJECT_ID_LENGTH, Timestamp, SubjectId, JsonObject } from './packets/envelope.js'
export type { Timestamps } from './packets/envelope.js'
export {
  AlivePacket,
  HeartbeatPacket,
  ProviderData,
  RegisterAgentPacket,
  AgentDetailsPacket,
  SubmitOnboardingPacket,
  UploadDescriptor,
  SubmitUnitPacket,
  SubmitMetadataPacket,
  MephistoBoundLiveUpdatePacket,
  ClientBoundLiveUpdatePacket,
  UpdateStatusPacket,
  RequestStatusesPacket,
  ReturnStatusesPacket,
  LogErrorPacket,
  FaustAck,
  FaustAnnouncedPacket,
  FaustStoredPacket,
  Packet,
  AgentToRouterPacket,
  BackendToRouterPacket,
  RouterToBackendPacket,
  RouterToAgentPacket,
} from './packets/packets.js'

// Codec
export { decodePacket, parsePacket, parseLimitedJson, formatIssues } from './codec/decode-packet.js'
export { isLiveUpdate } from './codec/live-update-fast-path.js'
export { canonicalJson } from './codec/canonical-json.js'
export {
  checkJsonLimits,
  DEFAULT_JSON_LIMITS,
  PACKET_ENVELOPE_DEPTH,
  PEER_JSON_LIMITS,
} from './codec/json-limits.js'
export type { JsonLimits } from './codec/json-limits.js'
export { encodeJson } from './codec/encode-json.js'
export type { ProtocolError } from './codec/protocol-error.js'
export { ok, err } from './result.js'
export type { Result } from './result.js'

// HTTP
export {
  RequestAgentBody,
  SubmitOnboardingBody,
  SubmitTaskBody,
  SubmitMetadataBody,
  LogErrorBody,
  JsonString,
  Reply,
} from './http/bodies.js'
export { TaskConfig } from './task-config.js'

// Time
export { systemClock, toWireSeconds } from './clock.js'
export type { Clock, TimerHandle } from './clock.js'

// Logging
export { silentLogger } from './logging/logger.js'
export type { Logger } from './logging/logger.js'
