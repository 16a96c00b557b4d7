import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { TestBackend, within } from '@faust/testing'

// The CLI is tested as a user runs it: the built bin script in a child process.
const BIN = fileURLToPath(new URL('../../packages/cli/bin/faust.js', import.meta.url))
const TOKEN = 'cli-test-secret-0123456789'

function run(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env, FAUST_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

async function output(
  child: ChildProcess,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const [code] = (await within(once(child, 'exit'), 10_000, 'the CLI to exit')) as [number | null]
  return { code, stdout, stderr }
}

/** Waits for the router's "serving <url>/" line on stderr. */
async function servingUrl(child: ChildProcess): Promise<string> {
  let seen = ''
  return within(
    new Promise<string>((resolve) => {
      child.stderr?.on('data', (chunk: Buffer) => {
        seen += chunk.toString()
        const match = /serving (http:\/\/\S+?)\/ /.exec(seen)
        if (match?.[1] !== undefined) resolve(match[1])
      })
    }),
    10_000,
    'the router to start',
  )
}

describe('faust CLI', () => {
  it('describes itself and the router command', async () => {
    const top = await output(run(['--help']))
    expect(top.code).toBe(0)
    expect(top.stdout).toContain('router [options]')
    const router = await output(run(['router', '--help']))
    expect(router.code).toBe(0)
    for (const flag of [
      '--host',
      '--port',
      '--static',
      '--backend-token',
      '--allow-unknown-agents',
      '--reconnect-grace-ms',
      '--heartbeat-timeout-ms',
      '--upload-dir',
      '--max-upload-bytes',
      '--log-level',
    ]) {
      expect(router.stdout).toContain(flag)
    }
    expect(router.stdout).toContain('FAUST_BACKEND_TOKEN')
  })

  it('rejects a bad number with a clear message and a non-zero exit', async () => {
    const result = await output(run(['router', '--port', 'eighty']))
    expect(result.code).not.toBe(0)
    expect(result.stderr).toMatch(/--port.*expected a whole number, got 'eighty'/s)
  })

  it('runs the router, takes options from the environment, and stops cleanly on SIGTERM', async () => {
    const child = run(['router', '--host', '127.0.0.1', '--port', '0'], {
      FAUST_BACKEND_TOKEN: TOKEN,
    })
    const url = await servingUrl(child)
    const alive = await fetch(`${url}/is_alive`, { signal: AbortSignal.timeout(5000) })
    expect(await alive.json()).toEqual({ status: 'Alive!' })
    // The token came from FAUST_BACKEND_TOKEN: a backend presenting it is attached.
    const backend = await TestBackend.connect(`${url.replace('http', 'ws')}/`, TOKEN)
    const registration = fetch(`${url}/request_agent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider_data: { worker_name: 'w', agent_registration_id: 'a-w' } }),
      signal: AbortSignal.timeout(5000),
    })
    await backend.registerNext('agent-1')
    expect(
      ((await (await registration).json()) as { data: { agent_id: string } }).data.agent_id,
    ).toBe('agent-1')
    await backend.close()
    child.kill('SIGTERM')
    const result = await output(child)
    expect(result.code).toBe(0)
  })

  // Issue 12: the flag crashed the CLI at start ("reading 'trim'"), and any
  // value of its variable, "0" included, would have turned it on.
  it.each([
    { how: 'the flag', args: ['--allow-unknown-agents'], env: {}, allowed: true },
    { how: 'the flag with no', args: ['--allow-unknown-agents', 'no'], env: {}, allowed: false },
    { how: 'the variable at 1', args: [], env: { FAUST_ALLOW_UNKNOWN_AGENTS: '1' }, allowed: true },
    {
      how: 'the variable at 0',
      args: [],
      env: { FAUST_ALLOW_UNKNOWN_AGENTS: '0' },
      allowed: false,
    },
    { how: 'neither', args: [], env: {}, allowed: false },
  ])('allows unknown agents through $how: $allowed', async ({ args, env, allowed }) => {
    const child = run(['router', '--port', '0', '--backend-token', TOKEN, ...args], env)
    const url = await servingUrl(child)
    const backend = await TestBackend.connect(`${url.replace('http', 'ws')}/`, TOKEN)
    // An agent id the backend never named submits: relayed only when unknown agents are allowed.
    const submit = await fetch(`${url}/submit_task`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ USED_AGENT_ID: 'never-named', final_data: { answer: 1 } }),
      signal: AbortSignal.timeout(5000),
    })
    expect(submit.status).toBe(allowed ? 200 : 403)
    // When refused, nothing was relayed; when allowed, the packet names the unknown agent.
    const relayed = allowed ? (await backend.next('submit_unit')).subject_id : undefined
    expect(relayed).toBe(allowed ? 'never-named' : undefined)
    await backend.close()
    child.kill('SIGTERM')
    expect((await output(child)).code).toBe(0)
  })

  it('generates and prints a backend token when none is given', async () => {
    const child = run(['router', '--port', '0'])
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    await servingUrl(child)
    await within(
      new Promise<void>((resolve) => {
        const check = (): void => {
          if (/backend token \(generated\): \S{20,}/.test(stderr)) resolve()
        }
        check()
        child.stderr?.on('data', check)
      }),
      5000,
      'the generated token line',
    )
    child.kill('SIGINT')
    expect((await output(child)).code).toBe(0)
  })
})
