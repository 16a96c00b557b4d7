import { describe, expect, it } from 'vitest'
import { STATUS_TO_TEXT_MAP } from './agent-status.js'
import type { FakeSocket, Packet } from '@faust/testing/fakes'
import { register, setup, type Harness } from '@faust/testing/client'

async function connected(): Promise<Harness & { socket: FakeSocket }> {
  const t = setup()
  await register(t)
  t.client.live.connect()
  const socket = t.sockets.last()
  socket.open()
  return { ...t, socket }
}

function requests(socket: FakeSocket): Packet[] {
  return socket.sentOfType('mephisto_bound_live_update')
}

function answer(socket: FakeSocket, data: Record<string, unknown>): void {
  socket.receive({ packet_type: 'client_bound_live_update', subject_id: 'agent-1', data })
}

describe('remote procedures', () => {
  it('sends the reference request and resolves with the parsed response', async () => {
    const t = await connected()
    const add = t.client.live.remoteProcedure<{ a: number; b: number }, { sum: number }>('add')
    const result = add({ a: 1, b: 2 })
    expect(requests(t.socket)).toEqual([
      {
        packet_type: 'mephisto_bound_live_update',
        subject_id: 'agent-1',
        data: { request_id: 'id-2', target: 'add', args: '{"a":1,"b":2}', update_id: 'id-3' },
        client_timestamp: t.clock.now() / 1000,
      },
    ])
    answer(t.socket, { handles: 'id-2', response: '{"sum":3}', update_id: 'u-1' })
    expect(await result).toEqual({ sum: 3 })
  })

  it('is also callable as fn.invoke, and sends {} for missing args', async () => {
    const t = await connected()
    const ping = t.client.live.remoteProcedure('ping')
    const result = ping.invoke()
    expect(requests(t.socket)[0]?.['data']).toMatchObject({ target: 'ping', args: '{}' })
    answer(t.socket, { handles: 'id-2', response: 'null' })
    expect(await result).toBeNull()
  })

  it("settles each call by its request id, whatever the answers' order", async () => {
    const t = await connected()
    const echo = t.client.live.remoteProcedure('echo')
    const first = echo({ n: 1 })
    const second = echo({ n: 2 })
    const [one, two] = requests(t.socket).map(
      (packet) => (packet['data'] as { request_id: string }).request_id,
    )
    answer(t.socket, { handles: two, response: '2' })
    answer(t.socket, { handles: 'nobody', response: '0' })
    answer(t.socket, { handles: one, response: '1' })
    expect(await Promise.all([first, second])).toEqual([1, 2])
  })

  it("rejects on Faust's error answer, with the remote code", async () => {
    const t = await connected()
    const result = t.client.live.call('divide', { by: 0 })
    answer(t.socket, {
      handles: 'id-2',
      error: { message: 'division by zero', code: 'HANDLER_ERROR' },
    })
    await expect(result).rejects.toMatchObject({
      name: 'ClientError',
      code: 'REMOTE',
      message: 'division by zero',
      remoteCode: 'HANDLER_ERROR',
    })
  })

  it('rejects a response that is not JSON', async () => {
    const t = await connected()
    const result = t.client.live.call('broken')
    answer(t.socket, { handles: 'id-2', response: '{nope' })
    await expect(result).rejects.toMatchObject({ code: 'BAD_RESPONSE' })
  })

  it('times out after rpcTimeoutMs, or the per-call timeout', async () => {
    const t = await connected()
    const slow = t.client.live.call('slow')
    const quick = t.client.live.call('slow', {}, { timeoutMs: 1000 })
    t.clock.advance(1000)
    await expect(quick).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: 'no answer to the remote procedure within 1000 ms',
    })
    t.clock.advance(29_000)
    await expect(slow).rejects.toMatchObject({ code: 'TIMEOUT' })
    answer(t.socket, { handles: 'id-2', response: '1' })
  })

  it('rejects waiting and later calls with { disconnected, reason } once the agent disconnects', async () => {
    const t = await connected()
    const waiting = t.client.live.call('work')
    t.socket.receive({ packet_type: 'update_status', data: { status: 'disconnect' } })
    const reason = STATUS_TO_TEXT_MAP['disconnect']
    await expect(waiting).rejects.toMatchObject({ disconnected: true, reason })
    await expect(t.client.live.call('work')).rejects.toMatchObject({ disconnected: true, reason })
    expect(t.client.live.getSnapshot().disconnectIssueText).toBe(reason)
    expect(requests(t.socket)).toHaveLength(1)
  })

  it('rejects calls after another final status, without an issue text', async () => {
    const t = await connected()
    const waiting = t.client.live.call('work')
    t.socket.receive({ packet_type: 'update_status', data: { status: 'completed' } })
    const reason = 'The task has ended (status: completed).'
    await expect(waiting).rejects.toMatchObject({ disconnected: true, reason })
    await expect(t.client.live.call('work')).rejects.toMatchObject({ reason })
    expect(t.client.live.getSnapshot().disconnectIssueText).toBeUndefined()
  })

  it('rejects waiting calls when the connection is destroyed or gives up', async () => {
    const t = await connected()
    const first = t.client.live.call('work')
    t.client.live.destroy()
    await expect(first).rejects.toMatchObject({
      code: 'DISCONNECTED',
      reason: 'The live connection was closed.',
    })
    await expect(t.client.live.call('work')).rejects.toMatchObject({ code: 'DISCONNECTED' })
  })

  it('keeps a call made while reconnecting and sends it once the socket is back', async () => {
    const t = await connected()
    t.socket.drop()
    const result = t.client.live.call('later')
    t.clock.advance(1000)
    const socket = t.sockets.last()
    socket.open()
    const [request] = requests(socket)
    const { request_id: requestId } = request?.['data'] as { request_id: string }
    answer(socket, { handles: requestId, response: '"done"' })
    expect(await result).toBe('done')
  })
})
