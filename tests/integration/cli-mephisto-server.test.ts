import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { cp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { TestAgent, TestBackend, within } from '@faust/testing'
import { runCli, tempDir } from '../support/cli-process.js'

const MOCK_WRAPPER =
  'window.getWorkerName = () => new URLSearchParams(location.search).get("worker_id")'

/**
 * Does what Mephisto's `build_router` and `LocalArchitect.deploy` do with
 * `architect.server_source_path`: copy the folder, write the provider's
 * wrapper, the task config and the task bundle into `static/`, and start
 * `node server.js` in the copy with PORT set. Resolves with the router's URL.
 */
async function deployLikeMephisto(source: string, runDir: string) {
  const server = join(runDir, 'local_server_1', 'server')
  await cp(source, server, { recursive: true })
  await writeFile(join(server, 'static', 'wrap_crowd_source.js'), MOCK_WRAPPER)
  await writeFile(
    join(server, 'static', 'task_config.json'),
    JSON.stringify({ task_title: 'Mephisto task', mephisto_task_version: '2.0.4' }),
  )
  await writeFile(join(server, 'static', 'bundle.js'), 'console.log("task")')
  const child = spawn(process.execPath, ['server.js'], {
    cwd: server,
    // Port 0 instead of Mephisto's fixed port, and loopback only, for the test.
    env: { ...process.env, PORT: '0', FAUST_HOST: '127.0.0.1', FAUST_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const url = await within(
    new Promise<string>((resolve, reject) => {
      child.stderr.on('data', () => {
        const match = /serving (http:\/\/\S+?)\/\n/.exec(stderr)
        if (match?.[1] !== undefined) resolve(match[1])
      })
      child.once('exit', () => {
        reject(new Error(`server.js exited: ${stderr}`))
      })
    }),
    10_000,
    'server.js to serve',
  )
  return {
    url,
    stderr: () => stderr,
    async stop(): Promise<number | null> {
      child.kill('SIGTERM')
      const [code] = (await within(once(child, 'exit'), 10_000, 'server.js to exit')) as [
        number | null,
      ]
      return code
    },
  }
}

describe('faust mephisto-server', () => {
  it('writes a folder Mephisto can use as architect.server_source_path', async () => {
    await using dir = await tempDir('faust-mephisto-')
    const folder = join(dir.path, 'faust-router')
    const result = await runCli(['mephisto-server', folder])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`mephisto.architect.server_source_path=${folder}`)
    expect((await readdir(folder)).sort()).toEqual([
      'README.md',
      'package.json',
      'server.js',
      'static',
    ])
    expect(await readdir(join(folder, 'static'))).toEqual(['index.html'])
    expect(JSON.parse(await readFile(join(folder, 'package.json'), 'utf8'))).toMatchObject({
      type: 'commonjs',
      main: 'server.js',
    })
    // One bundled file: nothing to install where Mephisto copies it.
    expect((await stat(join(folder, 'server.js'))).size).toBeGreaterThan(100_000)
  })

  it('refuses a folder that holds files, unless --force', async () => {
    await using dir = await tempDir('faust-mephisto-')
    await writeFile(join(dir.path, 'notes.txt'), 'mine')
    const refused = await runCli(['mephisto-server', dir.path])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/is not empty; add --force/)
    expect(await readdir(dir.path)).toEqual(['notes.txt'])
    const forced = await runCli(['mephisto-server', dir.path, '--force'])
    expect(forced.code).toBe(0)
    expect(await readdir(dir.path)).toContain('server.js')
  })

  it('runs as Mephisto starts it and serves a backend that presents no secret', async () => {
    await using dir = await tempDir('faust-mephisto-')
    const source = join(dir.path, 'source')
    expect((await runCli(['mephisto-server', source])).code).toBe(0)
    const server = await deployLikeMephisto(source, dir.path)
    let uploaded: string | null = null
    try {
      // The page and its files, as Mephisto's architect checks and a worker loads them.
      expect(await (await fetch(`${server.url}/is_alive`)).json()).toEqual({ status: 'Alive!' })
      const page = await (await fetch(`${server.url}/`)).text()
      expect(page).toContain('wrap_crowd_source.js')
      expect(page).toContain('bundle.js')
      expect(await (await fetch(`${server.url}/task_config.json`)).json()).toMatchObject({
        task_title: 'Mephisto task',
      })

      // Mephisto's backend: ws://host:port/ with no token, then alive as mephisto.
      const backend = await TestBackend.connect(`${server.url.replace('http', 'ws')}/`, '', {
        via: 'none',
      })
      const registration = fetch(`${server.url}/request_agent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          provider_data: { worker_name: 'w1', agent_registration_id: 'a1-w1' },
        }),
      })
      await backend.registerNext('4711')
      expect(
        ((await (await registration).json()) as { data: { agent_id: string } }).data,
      ).toMatchObject({
        agent_id: '4711',
      })

      // A live agent, both ways.
      const agent = await TestAgent.connect(`${server.url.replace('http', 'ws')}/`, '4711')
      backend.packet('update_status', '4711', { status: 'in task' })
      // A round trip on the backend's socket: the status is applied before the page says alive.
      await backend.requestStatuses()
      expect((await agent.connectAlive()).data).toEqual({ status: 'in task' })
      agent.send({
        packet_type: 'mephisto_bound_live_update',
        subject_id: '4711',
        data: { text: 'hi', update_id: 'u1' },
      })
      expect((await backend.next('mephisto_bound_live_update')).data).toMatchObject({ text: 'hi' })

      // A multipart submission: the file lands in /tmp, where LocalArchitect copies it from.
      const form = new FormData()
      form.set('USED_AGENT_ID', '4711')
      form.set('final_string_data', JSON.stringify({ answer: 'yes' }))
      form.set('photo', new Blob(['picture bytes'], { type: 'image/png' }), 'photo.png')
      const submit = await fetch(`${server.url}/submit_task`, { method: 'POST', body: form })
      expect(await submit.json()).toEqual({ status: 'Submitted!' })
      const packet = await backend.next('submit_unit')
      const files = (packet.data as { files: { filename: string; path: string }[] }).files
      expect(files).toHaveLength(1)
      uploaded = join('/tmp', (files[0] as { filename: string }).filename)
      expect((files[0] as { path: string }).path).toBe(uploaded)
      expect(await readFile(uploaded, 'utf8')).toBe('picture bytes')

      // An agent id the backend never named (Mephisto's backend after a router restart) is taken.
      const unknown = await fetch(`${server.url}/submit_task`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ USED_AGENT_ID: '9999', final_data: { late: true } }),
      })
      expect(unknown.status).toBe(200)
      expect((await backend.next('submit_unit')).subject_id).toBe('9999')
      await backend.close()
    } finally {
      expect(await server.stop()).toBe(0)
      if (uploaded !== null) await rm(uploaded, { force: true })
    }
  })
})
