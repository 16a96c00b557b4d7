// @vitest-environment jsdom
import { StrictMode, createElement, type ReactNode } from 'react'
import { act, renderHook, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { STATUS_TO_TEXT_MAP, createTaskClient, type TaskClient } from '@faust/client'
import { FakeClock } from '@faust/testing'
import { FaustProvider } from './faust-provider.js'
import { FakeSocket, routedFetch } from '@faust/testing/fakes'
import { TASK_CONFIG, agentDetails } from '@faust/testing/react'
import { useMephistoRemoteProcedureTask } from './use-mephisto-remote-procedure-task.js'

function client(): TaskClient {
  let ids = 0
  return createTaskClient({
    baseUrl: 'http://localhost:3000',
    fetch: routedFetch({
      '/task_config.json': TASK_CONFIG,
      '/request_agent': agentDetails('agent-1', { task_data: {}, previous_requests: [] }),
    }).fetch,
    WebSocket: FakeSocket,
    clock: new FakeClock(),
    generateId: () => `id-${String(++ids)}`,
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

describe('useMephistoRemoteProcedureTask', () => {
  it('connects by itself, exposes the connected agent and calls procedures', async () => {
    const { result } = renderHook(() => useMephistoRemoteProcedureTask(), {
      wrapper: within(client()),
    })
    expect(result.current).not.toHaveProperty('connect')
    expect(result.current).not.toHaveProperty('sendLiveUpdate')
    expect(result.current).toMatchObject({ agentId: null, disconnectIssueText: undefined })
    expect(Object.keys(result.current._fullSocketProps).sort()).toEqual([
      'connect',
      'destroy',
      'sendLiveUpdate',
    ])
    await waitFor(() => {
      expect(result.current.agentId).toBe('agent-1')
    })
    const socket = FakeSocket.last()
    act(() => {
      socket.open()
    })
    expect(result.current.connectionStatus).toBe('connected')
    const answer = result.current.remoteProcedure<{ a: number }, { doubled: number }>('double')({
      a: 2,
    })
    const request = socket.sent.find(
      (packet) => packet['packet_type'] === 'mephisto_bound_live_update',
    )
    expect(request?.['data']).toMatchObject({ target: 'double', args: '{"a":2}' })
    const { request_id: requestId } = request?.['data'] as { request_id: string }
    socket.receive({
      packet_type: 'client_bound_live_update',
      data: { handles: requestId, response: '{"doubled":4}' },
    })
    expect(await answer).toEqual({ doubled: 4 })
  })

  it('sets disconnectIssueText on disconnect and rejects later calls with it', async () => {
    const { result } = renderHook(() => useMephistoRemoteProcedureTask(), {
      wrapper: within(client()),
    })
    await waitFor(() => {
      expect(result.current.agentId).toBe('agent-1')
    })
    const socket = FakeSocket.last()
    act(() => {
      socket.open()
      socket.receive({ packet_type: 'update_status', data: { status: 'expired' } })
    })
    const text = STATUS_TO_TEXT_MAP['expired']
    expect(result.current).toMatchObject({ agentStatus: 'expired', disconnectIssueText: text })
    await expect(result.current.remoteProcedure('x').invoke({})).rejects.toMatchObject({
      disconnected: true,
      reason: text,
    })
  })

  it('under StrictMode, ends with one open socket, and closes it on unmount', async () => {
    vi.stubGlobal('getWorkerName', () => 'w')
    vi.stubGlobal('getAssignmentId', () => 'a')
    vi.stubGlobal('getAgentRegistration', () => ({
      worker_name: 'w',
      agent_registration_id: 'a-w',
    }))
    vi.stubGlobal(
      'fetch',
      routedFetch({ '/task_config.json': TASK_CONFIG, '/request_agent': agentDetails('agent-7') })
        .fetch,
    )
    vi.stubGlobal('WebSocket', FakeSocket)
    const wrapper = ({ children }: { children?: ReactNode }) =>
      createElement(StrictMode, null, children)
    const { result, unmount } = renderHook(() => useMephistoRemoteProcedureTask(), { wrapper })
    await waitFor(() => {
      expect(result.current.agentId).toBe('agent-7')
    })
    expect(FakeSocket.all.filter((socket) => socket.readyState !== 3)).toHaveLength(1)
    unmount()
    expect(FakeSocket.all.filter((socket) => socket.readyState !== 3)).toHaveLength(0)
  })
})
