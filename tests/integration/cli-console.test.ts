// `faust console` and the console beside `faust run`, through the built
// binary: the printed line, the cookie login, one read, one action, and a
// clean exit on Ctrl-C.
import { describe, expect, it } from 'vitest'
import {
  FIXTURE_DIR,
  register,
  startCli,
  submit,
  tempDir,
  workerLinks,
  SEVERAL_PROCESSES,
  type CliProcess,
} from '../support/cli-process.js'

interface Login {
  readonly origin: string
  get(path: string): Promise<Response>
  post(path: string, body: unknown): Promise<Response>
}

/** The `console: <url>` line, then the login a browser does with it. */
async function loginFrom(cli: CliProcess): Promise<Login> {
  const [, url = ''] = await cli.waitFor(/console: (http:\/\/\S+)\n/, 'the console line')
  const { origin } = new URL(url)
  const answer = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(5000) })
  expect(answer.status).toBe(303)
  const cookie = (answer.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  expect(cookie).toMatch(/^faust_console=/)
  const get = (path: string): Promise<Response> =>
    fetch(`${origin}${path}`, { headers: { cookie }, signal: AbortSignal.timeout(5000) })
  const { csrf } = (await (await get('/api/session')).json()) as { csrf: string }
  return {
    origin,
    get,
    post: (path, body) =>
      fetch(`${origin}${path}`, {
        method: 'POST',
        headers: { cookie, origin, 'x-faust-csrf': csrf, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      }),
  }
}

describe('the console from the command line', () => {
  it('serves beside faust run, then on its own with faust console', SEVERAL_PROCESSES, async () => {
    await using data = await tempDir('faust-cli-console-')
    const run = startCli(['run', FIXTURE_DIR, '--port', '0', '--data-dir', data.path])
    const links = await workerLinks(run)
    const beside = await loginFrom(run)
    expect(beside.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)

    const agent = await register(links[0]!)
    await submit(links[0]!.base, agent.agent_id!, { label: 'positive' })
    const runs = (await (await beside.get('/api/runs')).json()) as {
      runId: string
      live: boolean
      progress: { completed: number }
    }[]
    expect(runs).toMatchObject([{ live: true, progress: { completed: 1 } }])
    const [item] = (await (await beside.get(`/api/runs/${runs[0]!.runId}/review`)).json()) as {
      unitId: string
      workerId: string
    }[]
    const approve = await beside.post('/api/review', {
      taskName: 'cli-fixture',
      action: { kind: 'approve', target: item!.unitId },
    })
    expect(await approve.json()).toMatchObject({ outcomes: [{ result: 'done' }] })
    run.child.kill('SIGINT')
    expect((await run.exited()).code).toBe(0)

    const served = startCli(['console', '--data-dir', data.path, '--port', '0'])
    const login = await loginFrom(served)
    const stored = (await (await login.get('/api/runs')).json()) as { live: boolean }[]
    expect(stored).toMatchObject([{ live: false }])
    const audit = (await (await login.get('/api/audit')).json()) as { action: string }[]
    expect(audit.map((entry) => entry.action)).toEqual(['review.approve'])
    const block = await login.post(`/api/workers/${item!.workerId}/block`, { reason: 'test' })
    expect(await block.json()).toEqual({ result: 'done', platform: 'none' })
    served.child.kill('SIGINT')
    const exit = await served.exited()
    expect(exit.code).toBe(0)
    expect(exit.stderr).toContain('faust console: SIGINT: closing')
  })

  it(
    'is not served with --no-console, and faust console needs existing data',
    SEVERAL_PROCESSES,
    async () => {
      await using data = await tempDir('faust-cli-console-')
      const run = startCli([
        'run',
        FIXTURE_DIR,
        '--port',
        '0',
        '--data-dir',
        data.path,
        '--no-console',
      ])
      await workerLinks(run)
      run.child.kill('SIGINT')
      const result = await run.exited()
      expect(result.code).toBe(0)
      expect(result.stdout).not.toContain('console:')
      const empty = startCli(['console', '--data-dir', `${data.path}/nothing-here`, '--port', '0'])
      const refused = await empty.exited()
      expect(refused.code).toBe(1)
      expect(refused.stderr).toContain('no Faust data')
    },
  )
})
