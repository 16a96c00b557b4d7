import { describe, expect, it } from 'vitest'
import type { RegistrationResult } from '../link/registration-answer.js'
import { RunFeatures, type RunFeature } from './run-feature.js'

const answer = (agentId: string): RegistrationResult => ({
  details: {
    request_id: 'r',
    worker_id: 'w',
    agent_id: agentId,
    init_task_data: 1,
    failure_reason: null,
  },
})

describe('RunFeatures', () => {
  it('chains registration hooks in order, each seeing the previous answer', async () => {
    const features = new RunFeatures([
      {
        name: 'a',
        registered: (result) => Promise.resolve(answer(`${String(result.details.agent_id)}+a`)),
      },
      { name: 'none' },
      {
        name: 'b',
        registered: (result) => Promise.resolve(answer(`${String(result.details.agent_id)}+b`)),
      },
    ])
    expect((await features.registered(answer('x'))).details.agent_id).toBe('x+a+b')
  })

  it('gives a live update to the first feature that takes it, or to none', async () => {
    const taken: string[] = []
    type LiveUpdateHook = NonNullable<RunFeature['liveUpdate']>
    const take =
      (name: string, kind: string): LiveUpdateHook =>
      (_subjectId, update) => {
        if (update['kind'] !== kind) return undefined
        taken.push(name)
        return Promise.resolve()
      }
    const features = new RunFeatures([
      { name: 'calls', liveUpdate: take('calls', 'call') },
      { name: 'also calls', liveUpdate: take('also calls', 'call') },
      { name: 'chat', liveUpdate: take('chat', 'chat') },
    ])
    await features.liveUpdate('s', { kind: 'call' })
    await features.liveUpdate('s', { kind: 'chat' })
    expect(features.liveUpdate('s', { kind: 'other' })).toBeUndefined()
    expect(taken).toEqual(['calls', 'chat'])
  })

  it('tells every feature of submissions, ended agents and the close, and merges their stats', async () => {
    const seen: string[] = []
    const feature = (name: string, size: number): RunFeature => ({
      name,
      submitted: (agentId) => {
        seen.push(`${name} submitted ${agentId}`)
        return Promise.resolve()
      },
      agentEnded: (subjectId) => seen.push(`${name} ended ${subjectId}`),
      close: () => {
        seen.push(`${name} closed`)
        return Promise.resolve()
      },
      stats: () => ({ [name]: size }),
    })
    const features = new RunFeatures([feature('a', 1), feature('b', 2)])
    await features.submitted('agent-1')
    features.agentEnded('agent-1')
    await features.close()
    expect(seen).toEqual([
      'a submitted agent-1',
      'b submitted agent-1',
      'a ended agent-1',
      'b ended agent-1',
      'a closed',
      'b closed',
    ])
    expect(features.stats()).toEqual({ a: 1, b: 2 })
  })
})
