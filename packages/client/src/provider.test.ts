import { describe, expect, it } from 'vitest'
import { globalProvider } from './provider.js'

describe('the provider from wrap_crowd_source.js globals', () => {
  it('reads the globals at call time', () => {
    const scope: Record<string, unknown> = {}
    const provider = globalProvider(scope)
    expect(provider.getWorkerName()).toBeNull()
    scope['getWorkerName'] = () => 'w-1'
    scope['getAssignmentId'] = () => 42
    scope['getAgentRegistration'] = () => ({ worker_name: 'w-1', agent_registration_id: '42-w-1' })
    const submitted: unknown[] = []
    scope['handleSubmitToProvider'] = (data: unknown) => submitted.push(data)
    expect(provider.getWorkerName()).toBe('w-1')
    expect(provider.getAssignmentId()).toBe('42')
    expect(provider.getAgentRegistration()).toEqual({
      worker_name: 'w-1',
      agent_registration_id: '42-w-1',
    })
    provider.handleSubmitToProvider({ done: true })
    expect(submitted).toEqual([{ done: true }])
  })

  it('treats undefined ids as missing (a preview)', () => {
    const provider = globalProvider({ getWorkerName: () => undefined, getAssignmentId: () => null })
    expect(provider.getWorkerName()).toBeNull()
    expect(provider.getAssignmentId()).toBeNull()
  })

  it('names a missing function in a PROVIDER error', () => {
    const provider = globalProvider({})
    expect(() => provider.getAgentRegistration()).toThrow(
      expect.objectContaining({
        code: 'PROVIDER',
        message: 'the provider script did not define getAgentRegistration()',
      }) as Error,
    )
  })

  it('accepts getProviderURLParams as a function or an object', () => {
    expect(globalProvider({}).getProviderURLParams()).toBeNull()
    expect(globalProvider({ getProviderURLParams: { a: 1 } }).getProviderURLParams()).toEqual({
      a: 1,
    })
    expect(
      globalProvider({ getProviderURLParams: () => ({ b: 'x' }) }).getProviderURLParams(),
    ).toEqual({ b: 'x' })
  })
})
