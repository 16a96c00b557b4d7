// @vitest-environment jsdom
import { createElement, type ReactNode } from 'react'
import { renderHook } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { createTaskClient } from '@faust/client'
import { FaustProvider, useFaustClient } from './faust-provider.js'
import { routedFetch } from '@faust/testing/fakes'
import { TASK_CONFIG } from '@faust/testing/react'

describe('FaustProvider', () => {
  it('hands its client to useFaustClient and starts it', () => {
    const http = routedFetch({ '/task_config.json': TASK_CONFIG })
    const client = createTaskClient({ baseUrl: 'http://localhost:3000', fetch: http.fetch })
    const wrapper = ({ children }: { children?: ReactNode }) =>
      createElement(FaustProvider, { client }, children)
    const { result } = renderHook(() => useFaustClient(), { wrapper })
    expect(result.current).toBe(client)
    expect(http.seen.map((request) => request.path)).toEqual(['/task_config.json'])
  })

  it('useFaustClient throws a clear error without a provider', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    expect(() => renderHook(() => useFaustClient())).toThrow(
      'useFaustClient() needs a <FaustProvider client={…}> above this component',
    )
  })
})
