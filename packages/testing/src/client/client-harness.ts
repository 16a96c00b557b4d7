import {
  createTaskClient,
  type TaskClient,
  type TaskClientOptions,
  type TaskProvider,
} from '@faust/client'
import { FakeClock } from '../fake-clock.js'
import { fakeFetch, type FakeRequest } from '../fakes/fake-fetch.js'
import { fakeSockets } from '../fakes/fake-socket.js'

/** What {@link setup} builds: a client wired to fakes the test drives. */
export interface Harness {
  readonly client: TaskClient
  readonly clock: FakeClock
  readonly http: ReturnType<typeof fakeFetch>
  readonly sockets: ReturnType<typeof fakeSockets>
  /** Data the provider's `handleSubmitToProvider` received. */
  readonly submitted: unknown[]
  readonly warnings: string[]
}

/** Provider ids for {@link setup}; null makes a preview. */
export interface SetupOptions extends TaskClientOptions {
  readonly workerName?: string | null
  readonly assignmentId?: string | null
}

/** The fixture's task config. */
export const TASK_CONFIG = {
  task_title: 'Fixture',
  block_mobile: false,
  mephisto_task_version: '2.0.4',
}

/** A client on a fake clock, fetch and WebSocket, with a mock provider. */
export function setup(options: SetupOptions = {}): Harness {
  const { workerName = 'worker-1', assignmentId = 'assignment-1', ...clientOptions } = options
  const clock = new FakeClock()
  const http = fakeFetch()
  const sockets = fakeSockets()
  const submitted: unknown[] = []
  const warnings: string[] = []
  let ids = 0
  const provider: TaskProvider = {
    getWorkerName: () => workerName,
    getAssignmentId: () => assignmentId,
    getAgentRegistration: () => ({
      worker_name: String(workerName),
      agent_registration_id: `${String(assignmentId)}-${String(workerName)}`,
      assignment_id: assignmentId,
      provider_type: 'mock',
    }),
    handleSubmitToProvider: (data) => {
      submitted.push(data)
    },
    getProviderURLParams: () => null,
  }
  const client = createTaskClient({
    baseUrl: 'http://localhost:3000',
    fetch: http.fetch,
    WebSocket: sockets.WebSocket,
    clock,
    provider,
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
    generateId: () => `id-${String(++ids)}`,
    warn: (message) => {
      warnings.push(message)
    },
    ...clientOptions,
  })
  return { client, clock, http, sockets, submitted, warnings }
}

/** The `agent_details` packet the router returns for a registration. */
export function agentDetails(
  agentId: string | null,
  extra: { initTaskData?: unknown; failureReason?: string | null; workerId?: string | null } = {},
): Record<string, unknown> {
  return {
    packet_type: 'agent_details',
    subject_id: 'local_channel_1_0',
    data: {
      request_id: 'request-1',
      worker_id: extra.workerId === undefined ? 'mephisto-worker-1' : extra.workerId,
      agent_id: agentId,
      init_task_data: extra.initTaskData ?? null,
      failure_reason: extra.failureReason ?? null,
    },
    client_timestamp: null,
    router_incoming_timestamp: 1767225600.1,
    router_outgoing_timestamp: null,
    server_timestamp: 1767225600.05,
  }
}

/** Lets pending promise callbacks run (real time does not move: no timer is due). */
export async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0))
}

/** Starts the client and answers its config request and registration with `answer`. */
export async function register(
  harness: Harness,
  answer: Record<string, unknown> = agentDetails('agent-1'),
): Promise<FakeRequest> {
  const started = harness.client.start()
  ;(await harness.http.next()).respond(200, TASK_CONFIG)
  const registration = await harness.http.next()
  registration.respond(200, answer)
  await started
  return registration
}
