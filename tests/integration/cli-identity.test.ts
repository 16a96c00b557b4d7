// IDENTITY's CLI surface through the built `faust` binary: the duplicate
// submission flags of `faust router` (each as a flag and as its variable) and
// formula-safe CSV from `faust results`.
import { parse as parseCsv } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { TestBackend, within } from '@faust/testing'
import {
  FIXTURE_DIR,
  SEVERAL_PROCESSES,
  register,
  runCli,
  startCli,
  submit,
  tempDir,
  workerLinks,
} from '../support/cli-process.js'

const TOKEN = 'cli-identity-secret-0123456789'

async function post(url: string, body: unknown): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  })
  await response.body?.cancel()
  return response.status
}

async function routerNow(url: string): Promise<number> {
  const response = await fetch(`${url}/get_timestamp`, { signal: AbortSignal.timeout(5000) })
  return ((await response.json()) as { timestamp: number }).timestamp
}

/** Waits (bounded) until the router's own clock has reached `target` ms: no sleep, it asks the router. */
async function routerClockReaches(url: string, target: number): Promise<void> {
  await within(
    (async () => {
      while ((await routerNow(url)) < target) {
        // each pass is one HTTP round trip to the router
      }
    })(),
    5000,
    "the router's clock",
  )
}

describe('faust router: remembering submitted agents', () => {
  it.each([
    { how: 'by default', args: [], env: {}, status: 409 },
    {
      how: '--max-submitted-agents 0',
      args: ['--max-submitted-agents', '0'],
      env: {},
      status: 200,
    },
    {
      how: 'FAUST_MAX_SUBMITTED_AGENTS=0',
      args: [],
      env: { FAUST_MAX_SUBMITTED_AGENTS: '0' },
      status: 200,
    },
    {
      how: '--submitted-agent-ttl-ms 5',
      args: ['--submitted-agent-ttl-ms', '5'],
      env: {},
      status: 200,
    },
    {
      how: 'FAUST_SUBMITTED_AGENT_TTL_MS=5',
      args: [],
      env: { FAUST_SUBMITTED_AGENT_TTL_MS: '5' },
      status: 200,
    },
  ])(
    'answers a second submission with other data $status $how',
    SEVERAL_PROCESSES,
    async ({ args, env, status }) => {
      const cli = startCli(['router', '--port', '0', '--backend-token', TOKEN, ...args], env)
      try {
        const [, url] = await cli.waitFor(/serving (http:\/\/\S+?)\/ /, 'the router', 'stderr')
        const base = url!
        const backend = await TestBackend.connect(`${base.replace('http', 'ws')}/`, TOKEN)
        const registration = post(`${base}/request_agent`, {
          provider_data: { worker_name: 'w', agent_registration_id: 'a-w' },
        })
        await backend.registerNext('agent-1')
        expect(await registration).toBe(200)
        expect(await post(`${base}/submit_task`, { USED_AGENT_ID: 'agent-1', final_data: 1 })).toBe(
          200,
        )
        // Past the 5 ms TTL on the router's clock (the default 24 h is far away).
        await routerClockReaches(base, (await routerNow(base)) + 5)
        expect(await post(`${base}/submit_task`, { USED_AGENT_ID: 'agent-1', final_data: 2 })).toBe(
          status,
        )
        await backend.close()
      } finally {
        cli.child.kill('SIGTERM')
        await cli.exited()
      }
    },
  )
})

describe('faust results --format csv', () => {
  it(
    'writes a worker named like a formula as text, with a leading quote',
    SEVERAL_PROCESSES,
    async () => {
      await using data = await tempDir('faust-cli-identity-')
      const run = startCli(['run', FIXTURE_DIR, '--port', '0', '--data-dir', data.path])
      const links = await workerLinks(run)
      const names = ['=HYPERLINK("http://x","y")', 'plain']
      for (const [index, link] of links.entries()) {
        const details = await register({ ...link, workerId: names[index]! })
        await submit(link.base, details.agent_id!, { label: `answer ${String(index)}` })
      }
      expect((await run.exited()).code).toBe(0)

      const result = await runCli(['results', 'cli-fixture', '--format', 'csv'], {
        FAUST_DATA_DIR: data.path,
      })
      expect(result.code).toBe(0)
      const records = parseCsv<Record<string, string>>(result.stdout, { columns: true })
      expect(records.map((record) => record['workerName']).sort()).toEqual([
        `'=HYPERLINK("http://x","y")_sandbox`,
        'plain_sandbox',
      ])
    },
  )
})
