import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { isBackendAlive, isLoopbackAddress, mayBeLoopbackBackend } from './loopback-backend.js'

function request(headers: Record<string, string> = {}): IncomingMessage {
  return { headers } as unknown as IncomingMessage
}

describe('isLoopbackAddress', () => {
  it.each(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1'])(
    '%s is loopback',
    (address) => {
      expect(isLoopbackAddress(address)).toBe(true)
    },
  )

  it.each(['10.0.0.1', '192.168.1.2', '203.0.113.7', '::ffff:10.0.0.1', '::2', 'fe80::1', '', 'x'])(
    '%s is not',
    (address) => {
      expect(isLoopbackAddress(address)).toBe(false)
    },
  )
})

describe('mayBeLoopbackBackend', () => {
  it('trusts a local peer that sends neither Origin nor proxy headers', () => {
    expect(mayBeLoopbackBackend(request(), '127.0.0.1')).toBe(true)
  })

  it('never trusts a remote peer, a browser, or a peer behind a proxy', () => {
    expect(mayBeLoopbackBackend(request(), '198.51.100.4')).toBe(false)
    expect(mayBeLoopbackBackend(request(), undefined)).toBe(false)
    expect(mayBeLoopbackBackend(request({ origin: 'http://localhost:3000' }), '::1')).toBe(false)
    for (const header of ['forwarded', 'x-forwarded-for', 'x-real-ip']) {
      expect(mayBeLoopbackBackend(request({ [header]: '203.0.113.9' }), '127.0.0.1')).toBe(false)
    }
  })
})

describe('isBackendAlive', () => {
  it("recognises only the backend's alive", () => {
    expect(isBackendAlive('{"packet_type":"alive","subject_id":"mephisto","data":{}}')).toBe(true)
    expect(isBackendAlive('{"packet_type":"alive","subject_id":"agent-1","data":{}}')).toBe(false)
    expect(isBackendAlive('{"packet_type":"heartbeat","subject_id":"mephisto"}')).toBe(false)
    expect(isBackendAlive('mephisto')).toBe(false)
    expect(isBackendAlive('["mephisto"]')).toBe(false)
  })
})
