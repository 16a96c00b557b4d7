import { describe, expect, it } from 'vitest'
import { startTestRouter } from '@faust/testing'

// Found by the HTTP surface tests: arrays passing as JSON objects, Fastify's
// own body for a badly encoded URL, and late answers admitting agent ids.
describe('router HTTP edge cases', () => {
  it('refuses an array where an object is required, relaying nothing', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    backend.pushStatus('1001', 'in task')
    const response = await t.post('/submit_metadata', { USED_AGENT_ID: '1001', metadata: [1] })
    expect(response.status).toBe(400)
    expect(response.body).toMatchObject({ error: { code: 'PACKET_INVALID' } })
    await backend.requestStatuses()
    expect(backend.takeUnread('submit_metadata')).toEqual([])
  })

  it('answers a badly encoded URL with the usual error body', async () => {
    await using t = await startTestRouter()
    const response = await t.get('/a%ZZ')
    expect(response.status).toBe(400)
    expect(response.body).toEqual({
      error: { code: 'PACKET_INVALID', message: expect.any(String) as string },
    })
  })

  it('does not admit an agent id from an answer nobody was waiting for', async () => {
    await using t = await startTestRouter({ requestTimeoutMs: 1000 })
    const backend = await t.connectBackend()
    const held = t.post('/request_agent', {
      provider_data: { worker_name: 'w', agent_registration_id: 'r' },
    })
    const request = await backend.next('register_agent')
    t.clock.advance(1000)
    expect((await held).status).toBe(504)
    backend.answer(request, { agentId: 'late-agent' })
    await backend.requestStatuses()
    const agent = await t.connectAgent('late-agent')
    agent.alive()
    expect((await agent.waitClosed()).code).toBe(4404)
  })
})
