import { describe, expect, it } from 'vitest'
import { agentRefColumns, parseSubjectId, toSubjectId } from './agent-ref.js'

describe('agent references', () => {
  it('prefixes onboarding agents on the wire and parses both kinds back', () => {
    const id = '0123456789abcdef0123456789abcdef'
    expect(toSubjectId({ kind: 'agent', id })).toBe(id)
    expect(toSubjectId({ kind: 'onboarding', id })).toBe(`onboarding_${id}`)
    expect(parseSubjectId(`onboarding_${id}`)).toEqual({ kind: 'onboarding', id })
    expect(parseSubjectId(id)).toEqual({ kind: 'agent', id })
  })

  it('stores a reference in exactly one of two columns', () => {
    expect(agentRefColumns({ kind: 'agent', id: 'a' })).toEqual({
      agent_id: 'a',
      onboarding_agent_id: null,
    })
    expect(agentRefColumns({ kind: 'onboarding', id: 'o' })).toEqual({
      agent_id: null,
      onboarding_agent_id: 'o',
    })
  })
})
