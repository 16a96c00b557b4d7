// A side-effect-free entry point (`@faust/protocol/constants`) for browser
// bundles: only closed sets, versions and the clock, no valibot schema. The
// main index builds every packet schema at load time, which bundlers cannot
// drop, so the client imports from here.

export { PacketType, SYSTEM_SUBJECT_ID } from './codes/packet-type.js'
export { AgentStatus, FINAL_AGENT_STATUSES } from './codes/agent-status.js'
export { FailureReason } from './codes/failure-reason.js'
export { CloseCode, ErrorCode } from './codes/error-code.js'
export type { WireError } from './codes/error-code.js'
export { MEPHISTO_TASK_VERSION } from './version.js'
export { systemClock, toWireSeconds } from './clock.js'
export type { Clock, TimerHandle } from './clock.js'
