import { describe, expect, it } from 'vitest'
import { CONNECTION_STATUS, toConnectionStatus } from './connection-status.js'

describe('connection status', () => {
  it("has mephisto-task's keys and values", () => {
    expect(CONNECTION_STATUS).toEqual({
      FAILED: 'failed',
      INITIALIZING: 'initializing',
      WEBSOCKETS_FAILURE: 'websockets_failure',
      CONNECTED: 'connected',
      DISCONNECTED: 'disconnected',
      RECONNECTING_ROUTER: 'reconnecting_router',
      DISCONNECTED_ROUTER: 'disconnected_router',
      RECONNECTING_SERVER: 'reconnecting_server',
      DISCONNECTED_SERVER: 'disconnected_server',
    })
  })

  it.each([
    [{ status: 'idle' }, ''],
    [{ status: 'connecting', attempt: 1 }, 'initializing'],
    [{ status: 'connected' }, 'connected'],
    [{ status: 'reconnecting', attempt: 2, reason: 'heartbeat' }, 'reconnecting_router'],
    [{ status: 'reconnecting', attempt: 2, reason: 'closed' }, 'disconnected'],
    [{ status: 'closed', reason: 'destroyed' }, 'disconnected'],
    [{ status: 'closed', reason: 'router_dead' }, 'disconnected_router'],
    [{ status: 'closed', reason: 'server_dead' }, 'disconnected_server'],
    [{ status: 'closed', reason: 'rejected', code: 4404 }, 'failed'],
    [{ status: 'closed', reason: 'unsupported' }, 'websockets_failure'],
    [{ status: 'closed', reason: 'replaced', code: 4410 }, 'disconnected'],
  ] as const)('maps %j to %j', (state, expected) => {
    expect(toConnectionStatus(state)).toBe(expected)
  })
})
