import { describe, expect, it } from 'vitest'
import { BackendLink } from './backend-link.js'
import type { Connection } from './connection.js'

class FakeConnection implements Connection {
  isOpen = true
  readonly sent: string[] = []
  send(text: string): void {
    this.sent.push(text)
  }
  close(): void {
    this.isOpen = false
  }
}

describe('BackendLink', () => {
  it('sends at once to an attached, open backend', () => {
    const link = new BackendLink({ maxBacklog: 2 })
    const backend = new FakeConnection()
    expect(link.attach(backend)).toBeNull()
    expect(link.send('a')).toBe(true)
    expect(backend.sent).toEqual(['a'])
    expect([link.isAttached, link.backlogSize]).toEqual([true, 0])
  })

  it('keeps packets in order while the backend is away and delivers them on attach', () => {
    const link = new BackendLink({ maxBacklog: 3 })
    expect([link.send('a'), link.send('b')]).toEqual([true, true])
    expect([link.isAttached, link.backlogSize]).toEqual([false, 2])
    const backend = new FakeConnection()
    link.attach(backend)
    link.send('c')
    expect(backend.sent).toEqual(['a', 'b', 'c'])
    expect(link.backlogSize).toBe(0)
  })

  it('refuses once the backlog is full, and has room again after a reattach', () => {
    const link = new BackendLink({ maxBacklog: 1 })
    expect(link.send('a')).toBe(true)
    expect(link.hasRoom()).toBe(false)
    expect(link.send('b')).toBe(false)
    link.attach(new FakeConnection())
    expect(link.hasRoom()).toBe(true)
  })

  it('keeps packets for later when the attached socket is no longer open', () => {
    const link = new BackendLink({ maxBacklog: 5 })
    const backend = new FakeConnection()
    link.attach(backend)
    backend.isOpen = false
    link.send('a')
    expect([link.isAttached, link.backlogSize, backend.sent]).toEqual([false, 1, []])
  })

  it('returns the replaced backend on attach, and detaches only the attached one', () => {
    const link = new BackendLink({ maxBacklog: 5 })
    const first = new FakeConnection()
    const second = new FakeConnection()
    link.attach(first)
    expect(link.attach(first)).toBeNull()
    expect(link.attach(second)).toBe(first)
    expect(link.detach(first)).toBe(false)
    expect(link.connection).toBe(second)
    expect(link.detach(second)).toBe(true)
    expect(link.connection).toBeNull()
  })
})

describe('BackendLink: held packets', () => {
  const held = (requestId: string) => ({
    requestId,
    plain: `${requestId}-plain`,
    acked: `${requestId}-acked`,
  })

  it('sends the acked text to an attached backend, and keeps a held packet in order while away', () => {
    const link = new BackendLink({ maxBacklog: 2 })
    const backend = new FakeConnection()
    link.attach(backend)
    expect(link.sendHeld(held('h1'))).toBe('sent')
    expect(backend.sent).toEqual(['h1-acked'])
    backend.isOpen = false
    expect([link.send('a'), link.sendHeld(held('h2'))]).toEqual([true, 'kept'])
    expect(link.sendHeld(held('h3'))).toBe('refused')
    const next = new FakeConnection()
    const chosen: string[] = []
    link.attach(next, (packet) => {
      chosen.push(packet.requestId)
      return packet.plain
    })
    expect([next.sent, chosen]).toEqual([['a', 'h2-plain'], ['h2']])
  })

  it('sends the plain text of a held packet by default', () => {
    const link = new BackendLink({ maxBacklog: 2 })
    link.sendHeld(held('h1'))
    const backend = new FakeConnection()
    link.attach(backend)
    expect(backend.sent).toEqual(['h1-plain'])
  })
})
