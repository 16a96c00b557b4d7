import { describe, expect, it } from 'vitest'
import { TestAgent, startTestRouter } from '@faust/testing'
import {
  FIXTURE_DIR,
  SEVERAL_PROCESSES,
  register,
  startCli,
  submit,
  tempDir,
  workerLinks,
} from '../support/cli-process.js'
import { openHarness } from '@faust/testing/backend'
import { errorBody, expectNoStack } from '@faust/testing/http'

// Issue 9, item 1: one message killed the whole run. A worker's 20 KB frame
// of 10,000 nested arrays passed the frame limit, JSON.parse took it, and
// JSON.stringify on the way to the backend threw a RangeError that nothing
// caught. These build the JSON text by hand: the test's own JSON.stringify
// would throw on such a value just the same.

/** `[[[…]]]`, `depth` levels deep: about 2 bytes a level. */
function deepArrays(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`
}

function deepLiveUpdate(agentId: string): string {
  return `{"packet_type":"mephisto_bound_live_update","subject_id":${JSON.stringify(agentId)},"data":{"answer":${deepArrays(10_000)}}}`
}

function deepSubmit(agentId: string): string {
  return `{"USED_AGENT_ID":${JSON.stringify(agentId)},"final_data":{"answer":${deepArrays(10_000)}}}`
}

async function postText(url: string, text: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: text,
    signal: AbortSignal.timeout(5000),
  })
  const answer = await response.text()
  expectNoStack(answer)
  return { status: response.status, body: JSON.parse(answer) as unknown }
}

describe('a deeply nested message', () => {
  it(
    'from a registered worker closes only its socket; faust run goes on to the end',
    SEVERAL_PROCESSES,
    async () => {
      await using dataDir = await tempDir('faust-deep-')
      const cli = startCli(['run', FIXTURE_DIR, '--port', '0', '--data-dir', dataDir.path])
      const links = await workerLinks(cli)
      const [first, second] = links
      const attacker = await register(first!)
      const bystander = await register(second!)
      const socketUrl = `${first!.base.replace('http', 'ws')}/`
      await using bad = await TestAgent.connect(socketUrl, attacker.agent_id!)
      await using good = await TestAgent.connect(socketUrl, bystander.agent_id!)
      await bad.connectAlive()
      await good.connectAlive()

      bad.sendRaw(deepLiveUpdate(attacker.agent_id!))
      expect(await bad.waitClosed()).toEqual({
        code: 4400,
        reason: 'the JSON is nested deeper than 64 levels',
      })

      // The process lives on: the bystander's socket still answers, and both
      // submissions are stored, which ends the run normally.
      good.sendLiveUpdate({ text: 'still here' })
      expect((await good.ping()).packet_type).toBe('heartbeat')
      await submit(second!.base, bystander.agent_id!, { answer: 'good' })
      await submit(first!.base, attacker.agent_id!, { answer: 'after all' })
      const result = await cli.exited()
      expect(result.code).toBe(0)
    },
  )

  it('over a worker socket leaves a bystander relayed, on a router with a real backend', async () => {
    await using t = await startTestRouter()
    await using backend = await t.connectBackend()
    backend.pushStatus('bad', 'in task')
    backend.pushStatus('good', 'in task')
    await using bad = await t.connectAgent('bad')
    await using good = await t.connectAgent('good')
    await bad.connectAlive()
    await good.connectAlive()

    bad.sendRaw(deepLiveUpdate('bad'))
    expect((await bad.waitClosed()).code).toBe(4400)
    good.sendLiveUpdate({ text: 'hello' })
    const relayed = await backend.next('mephisto_bound_live_update')
    expect(relayed).toMatchObject({ subject_id: 'good', data: { text: 'hello' } })
    backend.sendLiveUpdate('good', { reply: 1 })
    expect(await good.next('client_bound_live_update')).toMatchObject({ data: { reply: 1 } })
  })

  // Found by the fuzz suite: a registration the router accepted, at its depth
  // limit, is one level deeper inside the packet; the backend refused it under
  // the same limit, and the worker waited for the request timeout.
  it('at the deepest a worker may send reaches the backend and is answered at once', async () => {
    await using harness = await openHarness()
    const session = await harness.startRun()
    // body, provider_data, then 62 arrays: 64 levels, the router's default limit.
    const registration = `{"provider_data":{"worker_name":"w1","agent_registration_id":"asg-w1","assignment_id":"asg","provider_type":"mock","extra":${deepArrays(62)}}}`
    const answer = await postText(`${harness.t.router.url}/request_agent`, registration)
    expect(answer.status).toBe(200)
    const agentId = (answer.body as { data: { agent_id: string } }).data.agent_id
    expect(agentId).toMatch(/^[0-9a-f]{32}$/)

    const done = session.progressWhere((progress) => progress.completed === 1)
    const deepest = `{"USED_AGENT_ID":${JSON.stringify(agentId)},"final_data":{"answer":${deepArrays(62)}}}`
    expect((await postText(`${harness.t.router.url}/submit_task`, deepest)).status).toBe(200)
    await done
  })

  it('as a /submit_task body is a 400 JSON_LIMIT_EXCEEDED, not a 500; the run goes on', async () => {
    await using harness = await openHarness()
    const session = await harness.startRun()
    const details = await session.register('w1')
    const agentId = details.agent_id!
    const answer = await postText(`${harness.t.router.url}/submit_task`, deepSubmit(agentId))
    expect(answer).toEqual({ status: 400, body: errorBody('JSON_LIMIT_EXCEEDED') })

    const done = session.progressWhere((progress) => progress.completed === 1)
    expect((await session.submit(agentId, { answer: 'fine' })).status).toBe(200)
    await done
  })

  it('as multipart final_string_data is a 400 JSON_LIMIT_EXCEEDED too', async () => {
    await using t = await startTestRouter()
    await using backend = await t.connectBackend()
    backend.pushStatus('a1', 'in task')
    const form = new FormData()
    form.set('USED_AGENT_ID', 'a1')
    form.set('final_string_data', `{"answer":${deepArrays(10_000)}}`)
    const response = await fetch(`${t.router.url}/submit_task`, {
      method: 'POST',
      body: form,
      signal: AbortSignal.timeout(5000),
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual(errorBody('JSON_LIMIT_EXCEEDED'))
    await backend.requestStatuses()
    expect(backend.takeUnread('submit_unit')).toEqual([])
  })

  it('sent while the backend is away is refused at the edge; the good backlog is delivered', async () => {
    await using t = await startTestRouter()
    const first = await t.connectBackend()
    first.pushStatus('a1', 'in task')
    first.pushStatus('a2', 'in task')
    await first.requestStatuses()
    await first.close()

    const before = await t.post('/submit_task', { USED_AGENT_ID: 'a1', final_data: { n: 1 } })
    expect(before.status).toBe(200)
    const bad = await postText(`${t.router.url}/submit_task`, deepSubmit('a2'))
    expect(bad).toEqual({ status: 400, body: errorBody('JSON_LIMIT_EXCEEDED') })
    const after = await t.post('/log_error', { USED_AGENT_ID: 'a2', error_data: { n: 2 } })
    expect(after.status).toBe(200)
    expect(t.router.stats().backendBacklog).toBe(2)

    await using second = await t.connectBackend()
    expect(await second.next('submit_unit')).toMatchObject({ subject_id: 'a1', data: { n: 1 } })
    expect(await second.next('log_error')).toMatchObject({ subject_id: 'a2', data: { n: 2 } })
    expect((await t.get('/is_alive')).status).toBe(200)
  })
})
