// The memory bounds and deadlines of `faust router`, each set once by its
// flag and once by its FAUST_ variable, and observed on the running binary
// (packages/cli/dist: `npm run build` first). The deadlines are real time
// here (a child process has no fake clock): short values, bounded waits.
import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { CloseCode } from '@faust/protocol'
import { TestAgent, TestBackend, within } from '@faust/testing'
import { SEVERAL_PROCESSES, startCli, type CliProcess } from '../support/cli-process.js'

const TOKEN = 'cli-limits-secret-0123456789'
const BOUND_MS = 5000

interface Setting {
  readonly how: 'flag' | 'variable'
  readonly args: string[]
  readonly env: Record<string, string>
}

/** The same settings, once as flags and once as environment variables. */
function bothWays(settings: Record<string, string>): Setting[] {
  const args = Object.entries(settings).flatMap(([name, value]) => [
    `--${name.toLowerCase().replaceAll('_', '-')}`,
    value,
  ])
  const env = Object.fromEntries(
    Object.entries(settings).map(([name, value]) => [`FAUST_${name}`, value]),
  )
  return [
    { how: 'flag', args, env: {} },
    { how: 'variable', args: [], env },
  ]
}

async function startRouter(setting: Setting): Promise<{ cli: CliProcess; url: string }> {
  const cli = startCli(['router', '--port', '0', '--backend-token', TOKEN, ...setting.args], {
    ...setting.env,
  })
  const [, url] = await cli.waitFor(/serving (http:\/\/\S+?)\/ /, 'the router to start', 'stderr')
  return { cli, url: url! }
}

async function stop(cli: CliProcess): Promise<void> {
  cli.child.kill('SIGTERM')
  expect((await cli.exited()).code).toBe(0)
}

/** Opens a TCP connection, writes `text`, and resolves with what the router wrote once it closed. */
async function rawExchange(url: string, text: string): Promise<string> {
  const { hostname, port } = new URL(url)
  const socket = connect(Number(port), hostname)
  const chunks: Buffer[] = []
  socket.on('data', (chunk: Buffer) => chunks.push(chunk))
  const closed = new Promise<string>((resolve) => {
    socket.once('close', () => {
      resolve(Buffer.concat(chunks).toString('latin1'))
    })
  })
  if (text !== '') socket.write(text)
  return within(closed, BOUND_MS, 'the router to close the connection')
}

describe('faust router memory bounds and deadlines', SEVERAL_PROCESSES, () => {
  it.each(bothWays({ IDENTIFY_TIMEOUT_MS: '300' }))(
    'closes a silent socket with 4408 (identify timeout by $how)',
    async (setting) => {
      const { cli, url } = await startRouter(setting)
      const socket = new WebSocket(`${url.replace('http', 'ws')}/`)
      const code = await within(
        new Promise<number>((resolve) => socket.once('close', (closeCode) => resolve(closeCode))),
        BOUND_MS,
        'the silent socket to be closed',
      )
      expect(code).toBe(CloseCode.IDENTIFY_TIMEOUT)
      await stop(cli)
    },
  )

  it.each(bothWays({ HEADERS_TIMEOUT_MS: '300' }))(
    'closes a connection that sends nothing (headers timeout by $how)',
    async (setting) => {
      const { cli, url } = await startRouter(setting)
      expect(await rawExchange(url, '')).toMatch(/^HTTP\/1\.1 408/)
      await stop(cli)
    },
  )

  it.each(bothWays({ HEADERS_TIMEOUT_MS: '200', BODY_TIMEOUT_MS: '600' }))(
    'answers 408 to a stalled body (body timeout by $how)',
    async (setting) => {
      const { cli, url } = await startRouter(setting)
      const stalled =
        'POST /submit_task HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"USED_'
      expect(await rawExchange(url, stalled)).toMatch(/^HTTP\/1\.1 408/)
      await stop(cli)
    },
  )

  it.each(bothWays({ KEEP_ALIVE_TIMEOUT_MS: '300' }))(
    'closes an idle keep-alive connection (keep-alive timeout by $how)',
    async (setting) => {
      const { cli, url } = await startRouter(setting)
      const answer = await rawExchange(url, 'GET /nothing-here HTTP/1.1\r\nHost: x\r\n\r\n')
      expect(answer).toMatch(/^HTTP\/1\.1 404/)
      await stop(cli)
    },
  )

  it.each(bothWays({ MAX_ENDED_AGENTS: '1' }))(
    'remembers only the newest ended agents (max ended agents by $how)',
    async (setting) => {
      const { cli, url } = await startRouter(setting)
      const socketUrl = `${url.replace('http', 'ws')}/`
      const backend = await TestBackend.connect(socketUrl, TOKEN)
      for (const agentId of ['first', 'second']) {
        backend.pushStatus(agentId, 'in task')
        backend.pushStatus(agentId, 'completed')
      }
      await backend.requestStatuses() // both ends are in
      const second = await TestAgent.connect(socketUrl, 'second')
      expect((await second.connectAlive()).data).toEqual({ status: 'completed' })
      const first = await TestAgent.connect(socketUrl, 'first')
      first.alive()
      expect((await first.waitClosed()).code).toBe(CloseCode.AGENT_UNKNOWN)
      await Promise.all([second.close(), backend.close()])
      await stop(cli)
    },
  )
})
