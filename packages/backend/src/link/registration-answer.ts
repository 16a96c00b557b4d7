import { FailureReason } from '@faust/protocol'

/** The `data` of an `agent_details` packet: all five keys, always. */
export interface AgentDetailsData {
  readonly request_id: string
  readonly worker_id: string | null
  readonly agent_id: string | null
  readonly init_task_data: unknown
  readonly failure_reason: string | null
  /**
   * Faust only, on a reload of an agent that already handed in: its stored
   * status (docs/protocol.md §4.5). Mephisto's page ignores the key.
   */
  readonly agent_status?: string
  /** Faust only, with `showSubmittedAnswer`: the answer stored for that agent. */
  readonly submitted_data?: unknown
}

/** The `FailureReason` keys a registration can end with. */
export type RefusalReason = keyof typeof FailureReason

/** A successful registration: the page gets the agent id and its data. */
export function granted(input: {
  requestId: string
  workerId: string
  agentId: string
  initTaskData: unknown
}): AgentDetailsData {
  return {
    request_id: input.requestId,
    worker_id: input.workerId,
    agent_id: input.agentId,
    init_task_data: input.initTaskData,
    failure_reason: null,
  }
}

/** A refusal with the reference's exact text; `workerId` is null where the reference sends null. */
export function refused(input: {
  requestId: string
  workerId: string | null
  reason: RefusalReason
}): AgentDetailsData {
  return {
    request_id: input.requestId,
    worker_id: input.workerId,
    agent_id: null,
    init_task_data: null,
    failure_reason: FailureReason[input.reason],
  }
}

/** The answer to send, and what to start after sending it (so the page hears first, as in the reference). */
export interface RegistrationResult {
  readonly details: AgentDetailsData
  readonly start?: (() => Promise<void>) | undefined
}
