// @vitest-environment jsdom
import { createElement, type ReactNode } from 'react'
import { act, renderHook, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createTaskClient, type TaskClient } from '@faust/client'
import { FakeClock } from '@faust/testing'
import { FaustProvider } from './faust-provider.js'
import { FakeSocket, routedFetch } from '@faust/testing/fakes'
import { TASK_CONFIG, agentDetails } from '@faust/testing/react'
import { useMephistoLiveTask } from './use-mephisto-live-task.js'

const LIVE_KEYS = [
  'agentStatus',
  'connect',
  'connectionState',
  'connectionStatus',
  'destroy',
  'sendLiveUpdate',
]

const PAST = [{ text: 'earlier', update_id: 'p1' }]

function client(clock = new FakeClock()): TaskClient {
  return createTaskClient({
    baseUrl: 'http://localhost:3000',
    fetch: routedFetch({
      '/task_config.json': TASK_CONFIG,
      '/request_agent': agentDetails('agent-1', { past_live_updates: PAST }),
    }).fetch,
    WebSocket: FakeSocket,
    clock,
    provider: {
      getWorkerName: () => 'w',
      getAssignmentId: () => 'a',
      getAgentRegistration: () => ({ worker_name: 'w', agent_registration_id: 'a-w' }),
      handleSubmitToProvider: () => undefined,
      getProviderURLParams: () => null,
    },
  })
}

function within(taskClient: TaskClient) {
  return ({ children }: { children?: ReactNode }) =>
    createElement(FaustProvider, { client: taskClient }, children)
}

beforeEach(() => {
  FakeSocket.all.length = 0
})

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('useMephistoLiveTask', () => {
  it('adds the live fields, replays past updates and honours every callback', async () => {
    const events: unknown[] = []
    const { result } = renderHook(
      () =>
        useMephistoLiveTask({
          onLiveUpdate: (update) => events.push(['live', update['text']]),
          onStatusUpdate: ({ status }) => events.push(['status', status]),
          onConnectionStatusChange: (status) => events.push(['connection', status]),
        }),
      { wrapper: within(client()) },
    )
    for (const key of LIVE_KEYS) expect(result.current).toHaveProperty(key)
    expect(result.current).toMatchObject({
      connectionStatus: '',
      agentStatus: null,
      connectionState: { status: 'idle' },
    })
    await waitFor(() => {
      expect(result.current.agentId).toBe('agent-1')
    })
    expect(events).toEqual([['live', 'earlier']])
    act(() => {
      result.current.connect('agent-1')
    })
    const socket = FakeSocket.last()
    act(() => {
      socket.open()
      socket.receive({ packet_type: 'update_status', data: { status: 'in task' } })
      socket.receive({
        packet_type: 'client_bound_live_update',
        data: { text: 'hi', update_id: 'u1' },
      })
      socket.receive({
        packet_type: 'client_bound_live_update',
        data: { text: 'earlier', update_id: 'p1' },
      })
    })
    expect(result.current).toMatchObject({
      connectionStatus: 'connected',
      agentStatus: 'in task',
      connectionState: { status: 'connected' },
    })
    expect(events).toEqual([
      ['live', 'earlier'],
      ['connection', 'initializing'],
      ['connection', 'connected'],
      ['status', 'in task'],
      ['live', 'hi'],
    ])
    const sent = await act(() => result.current.sendLiveUpdate({ text: 'from the page' }))
    expect(sent).toMatchObject({ text: 'from the page', update_id: expect.any(String) as string })
    act(() => {
      result.current.destroy()
    })
    expect(result.current.connectionStatus).toBe('disconnected')
  })

  it('honours config: the heartbeat interval', async () => {
    const clock = new FakeClock()
    const { result } = renderHook(() => useMephistoLiveTask({ config: { heartbeatTime: 1000 } }), {
      wrapper: within(client(clock)),
    })
    await waitFor(() => {
      expect(result.current.agentId).toBe('agent-1')
    })
    act(() => {
      result.current.connect()
      FakeSocket.last().open()
      clock.advance(500 + 3000)
    })
    expect(
      FakeSocket.last().sent.filter((packet) => packet['packet_type'] === 'heartbeat'),
    ).toHaveLength(4)
  })

  it('without a provider, creates a live client from the globals and closes it on unmount', async () => {
    vi.stubGlobal('getWorkerName', () => 'w')
    vi.stubGlobal('getAssignmentId', () => 'a')
    vi.stubGlobal('getAgentRegistration', () => ({
      worker_name: 'w',
      agent_registration_id: 'a-w',
    }))
    vi.stubGlobal(
      'fetch',
      routedFetch({ '/task_config.json': TASK_CONFIG, '/request_agent': agentDetails('agent-9') })
        .fetch,
    )
    vi.stubGlobal('WebSocket', FakeSocket)
    const { result, unmount } = renderHook(() => useMephistoLiveTask())
    await waitFor(() => {
      expect(result.current.agentId).toBe('agent-9')
    })
    act(() => {
      result.current.connect()
    })
    // The root tsconfig has no DOM typings: jsdom's location, typed by hand.
    const { host } = (globalThis as unknown as { location: { host: string } }).location
    expect(FakeSocket.last().url).toBe(`ws://${host}/`)
    unmount()
    expect(FakeSocket.last().readyState).toBe(3)
  })

  it('blocks with the no_websockets text when the browser has no WebSocket', async () => {
    vi.stubGlobal('getWorkerName', () => 'w')
    vi.stubGlobal('getAssignmentId', () => 'a')
    vi.stubGlobal('fetch', routedFetch({ '/task_config.json': TASK_CONFIG }).fetch)
    vi.stubGlobal('WebSocket', undefined)
    const { result } = renderHook(() => useMephistoLiveTask())
    await waitFor(() => {
      expect(result.current.blockedReason).toBe('no_websockets')
    })
    expect(result.current.blockedExplanation).toBe(
      'Sorry, your browser does not support the required version of websockets for this task. Please upgrade to a modern browser.',
    )
  })
})
