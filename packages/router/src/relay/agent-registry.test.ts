import { describe, expect, it } from 'vitest'
import { AgentRegistry } from './agent-registry.js'
import type { AgentConnection } from './connection.js'

const socket = (isOpen = true): AgentConnection => ({
  agentId: null,
  isOpen,
  send: () => undefined,
  close: () => undefined,
})

describe('AgentRegistry', () => {
  it('admits only the ids it was told of, unless unknown agents are allowed', () => {
    const registry = new AgentRegistry(false, 10)
    expect(registry.isAdmitted('a')).toBe(false)
    registry.admit('a')
    expect([registry.isAdmitted('a'), registry.admittedCount]).toEqual([true, 1])
    registry.revoke('a')
    expect(registry.isAdmitted('a')).toBe(false)
    expect(new AgentRegistry(true, 10).isAdmitted('anyone')).toBe(true)
  })

  it('creates a record once, with status none and no socket', () => {
    const registry = new AgentRegistry(false, 10)
    const record = registry.getOrCreate('a')
    expect(record).toMatchObject({ id: 'a', status: 'none', connection: null, queue: null })
    expect(registry.getOrCreate('a')).toBe(record)
    expect(registry.size).toBe(1)
  })

  it('on end releases the record and the admission, keeping the last status and open socket', () => {
    const registry = new AgentRegistry(false, 10)
    registry.admit('a')
    const page = socket()
    const record = registry.getOrCreate('a')
    record.connection = page
    expect(registry.end('a', 'completed')).toBe(record)
    expect([registry.size, registry.admittedCount, registry.endedCount]).toEqual([0, 0, 1])
    expect(registry.endedStatus('a')).toBe('completed')
    expect(registry.ended.connectionOf('a')).toBe(page)
    // Still admitted through the ended agents: its late packets are answered.
    expect(registry.isAdmitted('a')).toBe(true)
  })

  it('does not admit again an ended agent the backend names once more', () => {
    const registry = new AgentRegistry(false, 10)
    registry.admit('a')
    registry.end('a', 'completed')
    registry.admit('a')
    expect([registry.admittedCount, registry.endedCount]).toEqual([0, 1])
  })

  it('revives an ended agent with its open page', () => {
    const registry = new AgentRegistry(false, 10)
    registry.admit('a')
    const page = socket()
    registry.getOrCreate('a').connection = page
    registry.end('a', 'disconnect')
    const revived = registry.revive('a')
    expect(revived.connection).toBe(page)
    expect([registry.size, registry.admittedCount, registry.endedCount]).toEqual([1, 1, 0])
  })

  it('keeps no closed socket among the ended agents', () => {
    const registry = new AgentRegistry(false, 10)
    registry.admit('a')
    registry.getOrCreate('a').connection = socket(false)
    registry.end('a', 'completed')
    expect(registry.ended.connectionOf('a')).toBeNull()
  })
})
