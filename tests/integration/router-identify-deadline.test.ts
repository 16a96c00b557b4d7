// Issue 9 item 5: a socket that does not identify itself (an agent's or the
// backend's `alive`) within identifyTimeoutMs is closed with 4408, whatever
// kind of socket it is; one that did is left alone.
import { describe, expect, it } from 'vitest'
import { CloseCode } from '@faust/protocol'
import { TestBackend, startTestRouter } from '@faust/testing'

const IDENTIFY_MS = 2000

describe('identify deadline', () => {
  it('closes a worker socket that sent nothing with 4408 at the deadline, not before', async () => {
    await using t = await startTestRouter({ identifyTimeoutMs: IDENTIFY_MS })
    const silent = await t.connectAgent('nobody')
    const backend = await t.connectBackend()
    await backend.requestStatuses()
    t.clock.advance(IDENTIFY_MS - 1)
    // A round trip on another socket: a close sent before it would have arrived by then.
    await backend.requestStatuses()
    const early = await Promise.race([silent.closed, Promise.resolve('open')])
    expect(early).toBe('open')
    t.clock.advance(1)
    expect((await silent.waitClosed()).code).toBe(CloseCode.IDENTIFY_TIMEOUT)
  })

  it('leaves a worker socket that said alive open past the deadline', async () => {
    await using t = await startTestRouter({ identifyTimeoutMs: IDENTIFY_MS })
    const backend = await t.connectBackend()
    backend.pushStatus('a1', 'in task')
    const page = await t.connectAgent('a1')
    await page.connectAlive()
    const silent = await t.connectAgent('a2')
    t.clock.advance(IDENTIFY_MS)
    expect((await silent.waitClosed()).code).toBe(CloseCode.IDENTIFY_TIMEOUT)
    expect((await page.ping()).data).toMatchObject({ status: 'in task' })
  })

  it('closes a socket that only sends packets naming no agent', async () => {
    await using t = await startTestRouter({ identifyTimeoutMs: IDENTIFY_MS })
    const page = await t.connectAgent('x')
    page.send({ packet_type: 'log_error', subject_id: null, data: { text: 'no agent yet' } })
    t.clock.advance(IDENTIFY_MS)
    expect((await page.waitClosed()).code).toBe(CloseCode.IDENTIFY_TIMEOUT)
  })

  it('closes a socket with the backend secret that never says alive', async () => {
    await using t = await startTestRouter({ identifyTimeoutMs: IDENTIFY_MS })
    const mute = await TestBackend.connect(t.router.socketUrl, t.token, { sendAlive: false })
    const backend = await t.connectBackend()
    await backend.requestStatuses() // its alive is in before the deadline
    t.clock.advance(IDENTIFY_MS)
    expect((await mute.waitClosed()).code).toBe(CloseCode.IDENTIFY_TIMEOUT)
    // The backend that identified itself is still the backend.
    expect(await backend.requestStatuses()).toMatchObject({ packet_type: 'return_statuses' })
    expect(t.router.stats().backendAttached).toBe(true)
  })

  it("covers loopback mode's undecided local sockets too", async () => {
    await using t = await startTestRouter({
      identifyTimeoutMs: IDENTIFY_MS,
      backendAuth: 'loopback',
    })
    const undecided = await TestBackend.connect(t.router.socketUrl, '', {
      via: 'none',
      sendAlive: false,
    })
    const local = await TestBackend.connect(t.router.socketUrl, '', { via: 'none' })
    await local.requestStatuses() // its alive is in before the deadline
    t.clock.advance(IDENTIFY_MS)
    expect((await undecided.waitClosed()).code).toBe(CloseCode.IDENTIFY_TIMEOUT)
    expect(await local.requestStatuses()).toMatchObject({ packet_type: 'return_statuses' })
    expect(t.router.stats().sockets).toBe(1)
  })
})
