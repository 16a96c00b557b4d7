// What the router answers a React page in the react package's tests (served by
// `routedFetch` from '@faust/testing/fakes').

/** The `agent_details` answer to a registration. */
export function agentDetails(agentId: string | null, initTaskData: unknown = null): unknown {
  return {
    packet_type: 'agent_details',
    subject_id: 'local_channel_1_0',
    data: {
      request_id: 'r',
      worker_id: 'mw-1',
      agent_id: agentId,
      init_task_data: initTaskData,
      failure_reason:
        agentId === null ? 'You are not currently qualified to work on this task...' : null,
    },
  }
}

/** The fixture's task config. */
export const TASK_CONFIG = { task_title: 'Fixture', mephisto_task_version: '2.0.4' }
