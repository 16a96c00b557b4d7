// Newest socket wins (docs/protocol.md §8.4, docs/router.md): a second socket
// claiming a live agent takes it over and the older one is closed with 4410.
import { describe, expect, it } from 'vitest'
import { CloseCode } from '@faust/protocol'
import { startTestRouter } from '@faust/testing'

const REPLACED = {
  code: CloseCode.REPLACED_BY_NEWER_SOCKET,
  reason: 'a newer socket took over this agent',
}

describe('a second socket for the same agent', () => {
  it('takes the agent over with alive; the older socket is closed with 4410 and gets nothing more', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    backend.pushStatus('agent-1', 'in task')
    const first = await t.connectAgent('agent-1')
    expect((await first.connectAlive()).data).toEqual({ status: 'in task' })

    const second = await t.connectAgent('agent-1')
    expect((await second.connectAlive()).data).toEqual({ status: 'in task' })
    expect(await first.waitClosed()).toEqual(REPLACED)

    backend.sendLiveUpdate('agent-1', { text: 'for the newest tab' })
    const update = await second.next('client_bound_live_update')
    expect(update.data).toMatchObject({ text: 'for the newest tab' })
    expect(first.takeUnread('client_bound_live_update')).toEqual([])
  })

  it('takes the agent over with a heartbeat too, and the replaced socket closing does not disconnect the agent', async () => {
    await using t = await startTestRouter({ reconnectGraceMs: 1000 })
    const backend = await t.connectBackend()
    backend.pushStatus('agent-1', 'in task')
    const first = await t.connectAgent('agent-1')
    await first.connectAlive()

    const second = await t.connectAgent('agent-1')
    expect((await second.ping()).data).toMatchObject({ status: 'in task' })
    expect(await first.waitClosed()).toEqual(REPLACED)

    // The closed socket was not the agent's any more: no grace window, no disconnect.
    t.clock.advance(5000)
    expect((await backend.requestStatuses()).data).toEqual({ 'agent-1': 'in task' })
    expect((await second.ping()).data).toMatchObject({ status: 'in task' })
  })

  it('refuses live updates from a socket that never claimed an agent another socket holds', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    backend.pushStatus('agent-1', 'in task')
    const holder = await t.connectAgent('agent-1')
    await holder.connectAlive()

    const stray = await t.connectAgent('agent-1')
    stray.sendLiveUpdate({ text: 'not mine to send' })
    expect(await stray.waitClosed()).toEqual({
      code: CloseCode.REPLACED_BY_NEWER_SOCKET,
      reason: 'another socket holds this agent; send alive to take it over',
    })
    // The stray frame was handled before its socket closed: had it been
    // relayed, it would have reached the backend before the holder's.
    holder.sendLiveUpdate({ text: 'from the holder' })
    expect((await backend.next('mephisto_bound_live_update')).data).toMatchObject({
      text: 'from the holder',
    })
    await backend.requestStatuses()
    expect(backend.takeUnread('mephisto_bound_live_update')).toEqual([])
  })

  it('leaves a reconnect alone: a socket replacing a closed one closes nothing', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    backend.pushStatus('agent-1', 'in task')
    const first = await t.connectAgent('agent-1')
    await first.connectAlive()
    await first.close()

    const second = await t.connectAgent('agent-1')
    await second.connectAlive()
    backend.sendLiveUpdate('agent-1', { n: 1 })
    expect((await second.next('client_bound_live_update')).data).toMatchObject({ n: 1 })
    expect(second.socket.readyState).toBe(second.socket.OPEN)
  })
})
