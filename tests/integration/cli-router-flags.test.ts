import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { TestAgent, TestBackend, within } from '@faust/testing'
import { freePort, startCli, tempDir, type CliProcess } from '../support/cli-process.js'

// Every `faust router` flag, given as the flag and as its environment
// variable, changes what the running router does (issue 12: "the CLI does
// what its help says"). --allow-unknown-agents is covered in cli.test.ts.
const TOKEN = 'router-flags-secret-0123456789'
const OTHER_TOKEN = 'router-flags-other-secret-98765'
/** Far shorter than every default the timing flags replace, far longer than they need. */
const QUICK_MS = 4000

/** A router started for one case. */
interface Started {
  readonly cli: CliProcess
  readonly url: string
  readonly socketUrl: string
  readonly dir: string
}

interface FlagCase {
  readonly flag: string
  readonly env: string
  /** The value to give, from the case's temporary folder. */
  readonly value: (dir: string) => Promise<string> | string
  readonly check: (router: Started, value: string) => Promise<void> | void
  /** More environment the case needs (a log level to observe it by). */
  readonly extraEnv?: Record<string, string>
}

async function backendFor(router: Started, token = TOKEN): Promise<TestBackend> {
  return TestBackend.connect(router.socketUrl, token)
}

/** Registers a worker through the backend: the agent id the router now knows. */
async function admit(router: Started, backend: TestBackend, agentId = 'agent-1'): Promise<string> {
  const answer = fetch(`${router.url}/request_agent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ provider_data: { worker_name: 'w', agent_registration_id: 'a-w' } }),
    signal: AbortSignal.timeout(5000),
  })
  await backend.registerNext(agentId)
  const body = (await (await answer).json()) as { data: { agent_id: string } }
  expect(body.data.agent_id).toBe(agentId)
  return agentId
}

/** A live agent with an open, `alive` socket. */
async function liveAgent(router: Started, backend: TestBackend): Promise<TestAgent> {
  const agentId = await admit(router, backend)
  backend.pushStatus(agentId, 'in task')
  const agent = await TestAgent.connect(router.socketUrl, agentId)
  await agent.connectAlive()
  return agent
}

/** `POST /submit_task` with `files`, each of `size` bytes, for an admitted agent. */
async function submitFiles(router: Started, agentId: string, sizes: number[]): Promise<number> {
  const form = new FormData()
  form.append('USED_AGENT_ID', agentId)
  form.append('final_string_data', JSON.stringify({ ok: true }))
  for (const [index, size] of sizes.entries()) {
    form.append(`file${String(index)}`, new Blob([new Uint8Array(size)]), `f${String(index)}.bin`)
  }
  const response = await fetch(`${router.url}/submit_task`, {
    method: 'POST',
    body: form,
    signal: AbortSignal.timeout(5000),
  })
  return response.status
}

function waitForLog(router: Started, message: string): Promise<unknown> {
  return within(
    router.cli.waitFor(new RegExp(`"msg":"${message}"`), message, 'stderr'),
    QUICK_MS,
    message,
  )
}

const CASES: FlagCase[] = [
  {
    flag: '--host',
    env: 'FAUST_HOST',
    // Any 127.x address is this machine; the default is 127.0.0.1.
    value: () => '127.0.0.2',
    check: async (router) => {
      expect(router.url).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/)
      const alive = await fetch(`${router.url}/is_alive`, { signal: AbortSignal.timeout(5000) })
      expect(alive.status).toBe(200)
    },
  },
  {
    flag: '--port',
    env: 'FAUST_PORT',
    value: () => freePort(),
    check: (router, port) => {
      expect(router.url).toBe(`http://127.0.0.1:${port}`)
    },
  },
  {
    flag: '--static',
    env: 'FAUST_STATIC_DIR',
    value: async (dir) => {
      const site = join(dir, 'site')
      await mkdir(site)
      await writeFile(join(site, 'index.html'), '<p>served from --static</p>')
      return site
    },
    check: async (router) => {
      const page = await fetch(`${router.url}/`, { signal: AbortSignal.timeout(5000) })
      expect(await page.text()).toBe('<p>served from --static</p>')
    },
  },
  {
    flag: '--backend-token',
    env: 'FAUST_BACKEND_TOKEN',
    value: () => OTHER_TOKEN,
    check: async (router) => {
      // The default run's token is refused; the one given is the backend's.
      await expect(backendFor(router, TOKEN)).rejects.toThrow('HTTP 401')
      const backend = await backendFor(router, OTHER_TOKEN)
      await admit(router, backend)
      await backend.close()
    },
  },
  {
    flag: '--backend-auth',
    env: 'FAUST_BACKEND_AUTH',
    value: () => 'loopback',
    check: async (router) => {
      const backend = await TestBackend.connect(router.socketUrl, '', { via: 'none' })
      await admit(router, backend)
      await backend.close()
    },
  },
  {
    flag: '--reconnect-grace-ms',
    env: 'FAUST_RECONNECT_GRACE_MS',
    value: () => '100',
    // The expiry is seen in the router's log, at info.
    extraEnv: { FAUST_LOG_LEVEL: 'info' },
    check: async (router) => {
      const backend = await backendFor(router)
      const agent = await liveAgent(router, backend)
      await agent.close()
      await waitForLog(router, 'agent did not reconnect within the grace window')
      await backend.close()
    },
  },
  {
    flag: '--heartbeat-timeout-ms',
    env: 'FAUST_HEARTBEAT_TIMEOUT_MS',
    value: () => '300',
    check: async (router) => {
      const backend = await backendFor(router)
      const agent = await liveAgent(router, backend)
      // No heartbeat: the agent is told it is disconnected.
      const status = await within(agent.next('update_status'), QUICK_MS, 'the disconnect')
      expect(status).toMatchObject({ data: { status: 'disconnect' } })
      await agent.close()
      await backend.close()
    },
  },
  {
    flag: '--request-timeout-ms',
    env: 'FAUST_REQUEST_TIMEOUT_MS',
    value: () => '200',
    check: async (router) => {
      // A backend that never answers: the registration fails after the timeout.
      const backend = await backendFor(router)
      const response = await within(
        fetch(`${router.url}/request_agent`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ provider_data: { worker_name: 'w', agent_registration_id: 'r' } }),
        }),
        QUICK_MS,
        'the registration to time out',
      )
      expect(response.status).toBe(504)
      await backend.close()
    },
  },
  {
    flag: '--upload-dir',
    env: 'FAUST_UPLOAD_DIR',
    value: (dir) => join(dir, 'uploads'),
    check: async (router) => {
      const backend = await backendFor(router)
      const agentId = await admit(router, backend)
      expect(await submitFiles(router, agentId, [10])).toBe(200)
      await backend.next('submit_unit')
      expect(await readdir(join(router.dir, 'uploads'))).toHaveLength(1)
      await backend.close()
    },
  },
  {
    flag: '--max-upload-bytes',
    env: 'FAUST_MAX_UPLOAD_BYTES',
    value: () => '100',
    // The expiry is seen in the router's log, at info.
    extraEnv: { FAUST_LOG_LEVEL: 'info' },
    check: async (router) => {
      const backend = await backendFor(router)
      const agentId = await admit(router, backend)
      expect(await submitFiles(router, agentId, [1000])).toBe(413)
      await backend.close()
    },
  },
  {
    flag: '--max-upload-files',
    env: 'FAUST_MAX_UPLOAD_FILES',
    value: () => '1',
    check: async (router) => {
      const backend = await backendFor(router)
      const agentId = await admit(router, backend)
      expect(await submitFiles(router, agentId, [10, 10])).toBe(413)
      await backend.close()
    },
  },
  {
    flag: '--max-body-bytes',
    env: 'FAUST_MAX_BODY_BYTES',
    value: () => '1024',
    check: async (router) => {
      const backend = await backendFor(router)
      const agentId = await admit(router, backend)
      const response = await fetch(`${router.url}/submit_task`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ USED_AGENT_ID: agentId, final_data: { text: 'x'.repeat(4096) } }),
        signal: AbortSignal.timeout(5000),
      })
      expect(response.status).toBe(413)
      await backend.close()
    },
  },
  {
    flag: '--max-frame-bytes',
    env: 'FAUST_MAX_FRAME_BYTES',
    value: () => '1024',
    check: async (router) => {
      const backend = await backendFor(router)
      const agent = await liveAgent(router, backend)
      agent.sendLiveUpdate({ text: 'x'.repeat(4096) })
      expect((await agent.waitClosed()).code).toBe(1009)
      await backend.close()
    },
  },
  {
    flag: '--log-level',
    env: 'FAUST_LOG_LEVEL',
    value: () => 'info',
    check: (router) => {
      // Logged before the address line; JSON on stderr, nothing on stdout.
      expect(router.cli.stderr()).toContain('"msg":"router listening"')
      expect(router.cli.stdout()).toBe('')
    },
  },
]

const FORMS = CASES.flatMap((flagCase) => [
  { ...flagCase, how: 'flag' as const },
  { ...flagCase, how: 'variable' as const },
])

describe('faust router flags', () => {
  it.each(FORMS)('$flag as the $how', async ({ flag, env, how, value, check, extraEnv }) => {
    await using dir = await tempDir('faust-router-flags-')
    const given = await value(dir.path)
    // Port and token come from variables so that the variable under test can replace them.
    const baseEnv = { FAUST_PORT: '0', FAUST_BACKEND_TOKEN: TOKEN, ...extraEnv }
    const cli =
      how === 'flag'
        ? startCli(['router', flag, given], baseEnv)
        : startCli(['router'], { ...baseEnv, [env]: given })
    try {
      const [, url] = await cli.waitFor(/serving (http:\/\/\S+?)\/ /, 'the router', 'stderr')
      const router = { cli, url: url!, socketUrl: `${url!.replace('http', 'ws')}/`, dir: dir.path }
      await check(router, given)
    } finally {
      cli.child.kill('SIGTERM')
      await cli.exited()
    }
  })
})
