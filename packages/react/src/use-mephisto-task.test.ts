// @vitest-environment jsdom
import { StrictMode, createElement, type ReactNode } from 'react'
import { act, renderHook, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { routedFetch, type Routes } from '@faust/testing/fakes'
import { TASK_CONFIG, agentDetails } from '@faust/testing/react'
import { useMephistoTask } from './use-mephisto-task.js'

/** The keys `mephisto-task` 2.0.4's useMephistoTask returns, plus Faust's three. */
const TASK_KEYS = [
  'agentId',
  'assignmentId',
  'blockedExplanation',
  'blockedReason',
  'error',
  'handleFatalError',
  'handleMetadataSubmit',
  'handleSubmit',
  'initialTaskData',
  'isLoading',
  'isOnboarding',
  'isPreview',
  'loaded',
  'mephistoAgentId',
  'mephistoWorkerId',
  'previewHtml',
  'providerWorkerId',
  'retry',
  'status',
  'taskConfig',
]

/** The globals `wrap_crowd_source.js` defines for a mock worker. */
function provider(workerId: string | null, submitted: unknown[] = []): void {
  vi.stubGlobal('getWorkerName', () => workerId)
  vi.stubGlobal('getAssignmentId', () => 'assignment-1')
  vi.stubGlobal('getAgentRegistration', () => ({
    worker_name: workerId,
    agent_registration_id: `assignment-1-${String(workerId)}`,
    provider_type: 'mock',
  }))
  vi.stubGlobal('handleSubmitToProvider', (data: unknown) => submitted.push(data))
}

function serve(routes: Routes): ReturnType<typeof routedFetch> {
  const fake = routedFetch(routes)
  vi.stubGlobal('fetch', fake.fetch)
  return fake
}

beforeEach(() => {
  vi.stubGlobal('WebSocket', undefined)
})

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('useMephistoTask', () => {
  it("returns the reference's fields, from the page's globals, and registers", async () => {
    provider('worker-1')
    const http = serve({
      '/task_config.json': TASK_CONFIG,
      '/request_agent': agentDetails('agent-1', { text: 'hello' }),
    })
    const { result } = renderHook(() => useMephistoTask())
    expect(Object.keys(result.current).sort()).toEqual(TASK_KEYS)
    expect(result.current).toMatchObject({
      providerWorkerId: 'worker-1',
      assignmentId: 'assignment-1',
      isPreview: false,
      taskConfig: null,
      agentId: null,
      isOnboarding: null,
      blockedReason: null,
      previewHtml: null,
      loaded: false,
      isLoading: true,
    })
    await waitFor(() => {
      expect(result.current.loaded).toBe(true)
    })
    expect(result.current).toMatchObject({
      taskConfig: TASK_CONFIG,
      mephistoWorkerId: 'mw-1',
      agentId: 'agent-1',
      mephistoAgentId: 'agent-1',
      isOnboarding: false,
      initialTaskData: { text: 'hello' },
      blockedReason: null,
      blockedExplanation: null,
      isLoading: false,
      status: 'ready',
      error: null,
    })
    expect(http.seen.map((request) => request.path)).toEqual([
      '/task_config.json',
      '/request_agent',
    ])
  })

  it('keeps the handlers and the object stable between renders', async () => {
    provider('worker-1')
    serve({ '/task_config.json': TASK_CONFIG, '/request_agent': agentDetails('agent-1') })
    const { result, rerender } = renderHook(() => useMephistoTask())
    await waitFor(() => {
      expect(result.current.loaded).toBe(true)
    })
    const before = result.current
    rerender()
    expect(result.current).toBe(before)
  })

  it('submits and then hands the data to the provider', async () => {
    const submitted: unknown[] = []
    provider('worker-1', submitted)
    const http = serve({
      '/task_config.json': TASK_CONFIG,
      '/request_agent': agentDetails('agent-1'),
      '/submit_task': { status: 'Submitted!' },
      '/submit_metadata': { status: 'Submitted metadata' },
      '/log_error': { status: 'Error log sent!' },
    })
    const { result } = renderHook(() => useMephistoTask())
    await waitFor(() => {
      expect(result.current.agentId).toBe('agent-1')
    })
    await act(() => result.current.handleSubmit({ answer: 1 }))
    expect(submitted).toEqual([{ answer: 1 }])
    expect(await result.current.handleMetadataSubmit({ type: 'feedback', text: 'ok' })).toEqual({
      status: 'Submitted metadata',
    })
    await result.current.handleFatalError({ error: 'boom' })
    expect(http.seen.slice(2).map((request) => [request.path, request.body])).toEqual([
      [
        '/submit_task',
        expect.objectContaining({ USED_AGENT_ID: 'agent-1', final_data: { answer: 1 } }),
      ],
      [
        '/submit_metadata',
        expect.objectContaining({ metadata: { feedback: { type: 'feedback', text: 'ok' } } }),
      ],
      ['/log_error', expect.objectContaining({ error_data: { error: 'boom' } })],
    ])
  })

  it('is a preview without a worker id, and never registers', async () => {
    provider(null)
    const http = serve({ '/task_config.json': TASK_CONFIG })
    const { result } = renderHook(() => useMephistoTask())
    await waitFor(() => {
      expect(result.current.loaded).toBe(true)
    })
    expect(result.current).toMatchObject({
      isPreview: true,
      status: 'preview',
      taskConfig: TASK_CONFIG,
    })
    expect(http.seen).toHaveLength(1)
  })

  it('shows a refusal as blocked, with the backend text', async () => {
    provider('worker-1')
    serve({ '/task_config.json': TASK_CONFIG, '/request_agent': agentDetails(null) })
    const { result } = renderHook(() => useMephistoTask())
    await waitFor(() => {
      expect(result.current.blockedReason).toBe('null_agent_id')
    })
    expect(result.current).toMatchObject({
      blockedExplanation: 'You are not currently qualified to work on this task...',
      isLoading: true,
    })
  })

  it('surfaces a registration error and retries', async () => {
    provider('worker-1')
    let calls = 0
    serve({
      '/task_config.json': TASK_CONFIG,
      '/request_agent': () => (++calls === 1 ? undefined : agentDetails('agent-1')),
    })
    const { result } = renderHook(() => useMephistoTask())
    await waitFor(() => {
      expect(result.current.status).toBe('error')
    })
    expect(result.current.error).toMatchObject({ code: 'HTTP', status: 404 })
    await act(() => result.current.retry())
    expect(result.current).toMatchObject({ status: 'ready', agentId: 'agent-1', error: null })
  })

  it('registers once under StrictMode, and stops its own client on unmount', async () => {
    provider('worker-1')
    const http = serve({
      '/task_config.json': TASK_CONFIG,
      '/request_agent': agentDetails('agent-1'),
    })
    const wrapper = ({ children }: { children?: ReactNode }) =>
      createElement(StrictMode, null, children)
    const { result, unmount } = renderHook(() => useMephistoTask(), { wrapper })
    await waitFor(() => {
      expect(result.current.loaded).toBe(true)
    })
    expect(http.seen.filter((request) => request.path === '/request_agent')).toHaveLength(1)
    unmount()
  })
})
