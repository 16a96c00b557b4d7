import { describe, expect, it } from 'vitest'
import type { AgentConnection } from './connection.js'
import { EndedAgents } from './ended-agents.js'

const socket = (): AgentConnection => ({
  agentId: null,
  isOpen: true,
  send: () => undefined,
  close: () => undefined,
})

describe('EndedAgents', () => {
  it('remembers the last status of each ended agent', () => {
    const ended = new EndedAgents(3)
    ended.remember('a', 'completed')
    ended.remember('b', 'expired')
    expect([ended.statusOf('a'), ended.statusOf('b'), ended.statusOf('c')]).toEqual([
      'completed',
      'expired',
      undefined,
    ])
    expect(ended.size).toBe(2)
  })

  it('forgets the agent that ended longest ago once over capacity', () => {
    const ended = new EndedAgents(2)
    ended.remember('a', 'completed')
    ended.remember('b', 'completed')
    ended.remember('c', 'returned')
    expect([ended.has('a'), ended.has('b'), ended.has('c')]).toEqual([false, true, true])
    expect(ended.size).toBe(2)
  })

  it('makes an agent that ends again the newest, but not one whose status is updated', () => {
    const ended = new EndedAgents(2)
    ended.remember('a', 'completed')
    ended.remember('b', 'completed')
    ended.remember('a', 'disconnect') // a is now the newest: b goes first
    ended.remember('c', 'completed')
    expect([ended.has('a'), ended.has('b')]).toEqual([true, false])
    expect(ended.update('a', 'approved')).toBe(true)
    ended.remember('d', 'completed') // the update did not refresh a: it goes first
    expect([ended.has('a'), ended.has('c'), ended.has('d')]).toEqual([false, true, true])
    expect(ended.update('a', 'approved')).toBe(false)
  })

  it('keeps nothing with a capacity of 0', () => {
    const ended = new EndedAgents(0)
    ended.remember('a', 'completed')
    expect([ended.size, ended.has('a')]).toEqual([0, false])
  })

  it('holds the socket of an ended agent only until it closes', () => {
    const ended = new EndedAgents(2)
    const first = socket()
    ended.remember('a', 'completed', { connection: first })
    expect(ended.connectionOf('a')).toBe(first)
    const reload = socket()
    ended.bind('a', reload)
    ended.unbind('a', first) // the old socket's close does not drop the new one
    expect(ended.connectionOf('a')).toBe(reload)
    ended.unbind('a', reload)
    expect(ended.connectionOf('a')).toBeNull()
    ended.bind('b', reload) // not ended: nothing is kept
    expect(ended.connectionOf('b')).toBeNull()
  })

  it('reports each end once, unless told not to, and forgets it with the agent', () => {
    const ended = new EndedAgents(2)
    ended.remember('a', 'disconnect')
    ended.remember('b', 'in task', { report: false })
    expect(ended.takeUnreported()).toEqual([['a', 'disconnect']])
    expect(ended.takeUnreported()).toEqual([])
    ended.remember('c', 'expired')
    ended.remember('d', 'expired') // evicts b; c and d stay unreported
    ended.forget('c')
    expect(ended.takeUnreported()).toEqual([['d', 'expired']])
  })

  it('lets only revivable agents come back', () => {
    const ended = new EndedAgents(2)
    ended.remember('agent', 'completed')
    ended.remember('onboarding', 'onboarding', { revivable: false })
    expect([ended.isRevivable('agent'), ended.isRevivable('onboarding')]).toEqual([true, false])
    expect(ended.isRevivable('stranger')).toBe(false)
  })
})
