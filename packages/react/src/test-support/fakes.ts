import type { FetchLike, ResponseLike, SocketLike } from '@faust/client'

/** A request the routed fetch answered. */
export interface SeenRequest {
  readonly path: string
  readonly body: unknown
}

/** Answers by path: a JSON body, or a function of the request body. */
export type Routes = Record<string, unknown>

/** A `fetch` that answers at once from `routes` (404 otherwise) and records requests. */
export function routedFetch(routes: Routes): { fetch: FetchLike; seen: SeenRequest[] } {
  const seen: SeenRequest[] = []
  const fetch: FetchLike = (url, init) => {
    const path = new URL(url).pathname
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : init.body
    seen.push({ path, body })
    const route = routes[path]
    const answer: unknown =
      typeof route === 'function' ? (route as (b: unknown) => unknown)(body) : route
    const response: ResponseLike =
      answer === undefined
        ? { ok: false, status: 404, text: () => Promise.resolve('not found') }
        : { ok: true, status: 200, text: () => Promise.resolve(JSON.stringify(answer)) }
    return Promise.resolve(response)
  }
  return { fetch, seen }
}

/** An in-memory socket the test opens and feeds. */
export class FakeSocket implements SocketLike {
  static readonly all: FakeSocket[] = []
  readyState = 0
  readonly sent: Record<string, unknown>[] = []
  onopen: SocketLike['onopen'] = null
  onmessage: SocketLike['onmessage'] = null
  onclose: SocketLike['onclose'] = null
  onerror: SocketLike['onerror'] = null

  constructor(readonly url: string) {
    FakeSocket.all.push(this)
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>)
  }

  close(): void {
    this.readyState = 3
  }

  open(): void {
    this.readyState = 1
    this.onopen?.({})
  }

  receive(packet: Record<string, unknown>): void {
    this.onmessage?.({ data: JSON.stringify(packet) })
  }

  static last(): FakeSocket {
    const socket = FakeSocket.all.at(-1)
    if (socket === undefined) throw new Error('no socket was opened')
    return socket
  }
}

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
