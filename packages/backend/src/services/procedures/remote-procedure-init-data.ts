import { toWireSeconds } from '@faust/protocol'
import { parseSubjectId } from '../../store/agent-ref.js'
import type { Store } from '../../store/store.js'
import type { RegistrationResult } from '../../link/registration-answer.js'

/** One entry of `previous_requests`, as Mephisto's `RemoteRequest` is sent. */
export interface PreviousRequest {
  readonly uuid: string
  readonly target: string
  readonly args_json: string
  /** The answer as sent; null while unanswered or when the call failed. */
  readonly response_json: string | null
  /** When the call arrived, in seconds. */
  readonly timestamp: number
}

/**
 * A `remote-procedure` task's page gets `{ task_data, previous_requests }`
 * (Mephisto's `RemoteProcedureAgentState.get_init_state`), for units and
 * onboarding alike: the stored data becomes `task_data`, and the agent's
 * calls so far are replayed, so a reload shows what the page was told.
 */
export async function withPreviousRequests(
  store: Store,
  result: RegistrationResult,
): Promise<RegistrationResult> {
  const { details } = result
  if (details.agent_id === null) return result
  const calls = await store.remoteCalls.listForAgent(parseSubjectId(details.agent_id))
  const previous: PreviousRequest[] = calls.map((call) => ({
    uuid: call.requestId,
    target: call.target,
    args_json: call.argsJson,
    response_json: call.responseJson,
    timestamp: toWireSeconds(call.requestedAt),
  }))
  return {
    ...result,
    details: {
      ...details,
      init_task_data: { task_data: details.init_task_data, previous_requests: previous },
    },
  }
}
