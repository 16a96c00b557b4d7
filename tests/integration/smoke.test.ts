import { describe, expect, it } from 'vitest'
import { startTestRouter } from '@faust/testing'

describe('router smoke', () => {
  it('registers an agent, relays live updates both ways and statuses', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    const registration = t.post('/request_agent', {
      provider_data: { worker_name: 'w1', agent_registration_id: 'a1-w1' },
      client_timestamp: 1,
    })
    await backend.registerNext('1001', { hello: 'world' })
    const answer = await registration
    expect(answer.status).toBe(200)
    expect((answer.body as { data: { agent_id: string } }).data.agent_id).toBe('1001')
    backend.pushStatus('1001', 'in task')
    const agent = await t.connectAgent('1001')
    expect((await agent.connectAlive()).data).toEqual({ status: 'in task' })
    agent.sendLiveUpdate({ text: 'hi' })
    expect((await backend.next('mephisto_bound_live_update')).data).toMatchObject({ text: 'hi' })
    backend.sendLiveUpdate('1001', { text: 'back' })
    expect((await agent.next('client_bound_live_update')).data).toEqual({ text: 'back' })
    const beat = await agent.ping()
    expect(beat.data).toEqual({ last_mephisto_ping: t.clock.now(), status: 'in task' })
  })
})
