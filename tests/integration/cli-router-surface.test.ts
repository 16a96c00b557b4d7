// The surface flags of `faust router` and `faust run` (issue 9): each flag and
// its FAUST_ variable, through the built binary, observed from outside:
// response headers, WebSocket upgrades from chosen origins, and uploads that
// stall (real time here: the binary runs on the system clock, so the timeouts
// under test are set short and every wait is bounded).
import { readdir } from 'node:fs/promises'
import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import {
  FIXTURE_DIR,
  SEVERAL_PROCESSES,
  startCli,
  tempDir,
  workerLinks,
} from '../support/cli-process.js'
import { errorBody, upgrade } from '@faust/testing/http'

const TOKEN = 'cli-surface-secret-0123456789'
const BOUNDARY = 'faust-cli-stall'

/** The page's Content-Security-Policy. */
async function policyOf(url: string): Promise<string | null> {
  const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(5000) })
  await response.arrayBuffer()
  return response.headers.get('content-security-policy')
}

/**
 * Starts a multipart upload that sends part of a file and stops; resolves
 * with the status line the router answers with (bounded: 8 s).
 */
function stalledUpload(url: string): Promise<string> {
  const { hostname, port } = new URL(url)
  const socket = connect(Number(port), hostname)
  socket.write(
    'POST /submit_task HTTP/1.1\r\n' +
      `Host: ${hostname}:${port}\r\n` +
      `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\n` +
      'Content-Length: 10000000\r\n\r\n' +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n\r\n` +
      'x'.repeat(4096),
  )
  return new Promise((resolve, reject) => {
    let text = ''
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error('no answer to the stalled upload within 8 s'))
    }, 8000)
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')))
    socket.on('error', reject)
    socket.on('close', () => {
      clearTimeout(timer)
      resolve(text.split('\r\n', 1)[0] ?? '')
    })
  })
}

/** Waits (bounded) until the stalled upload's partial file exists: its slot is taken. */
async function waitForUploadFile(dir: string): Promise<void> {
  const deadline = Date.now() + 5000
  while ((await readdir(dir)).length === 0) {
    if (Date.now() > deadline) throw new Error('the stalled upload never reached the disk')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Starts `faust router` with these arguments and environment; returns it and its URL. */
async function router(args: string[], env: Record<string, string>, uploadDir: string) {
  const cli = startCli(
    ['router', '--port', '0', '--backend-token', TOKEN, '--upload-dir', uploadDir, ...args],
    env,
  )
  const [, url] = await cli.waitFor(/serving (http:\/\/\S+?)\/ /, 'the router to start', 'stderr')
  return { cli, url: url! }
}

const REFUSED = { opened: false, status: 403, body: errorBody('ORIGIN_NOT_ALLOWED') }

describe('faust router surface flags', () => {
  it.each([
    {
      how: 'flags',
      args: [
        '--csp-extra',
        'connect-src https://api.example.com',
        '--frame-ancestors',
        'https://a.example.com, https://b.example.com',
        '--allowed-origins',
        'https://partner.example.org',
        '--public-origin',
        'https://tasks.example.com',
        '--max-concurrent-uploads',
        '1',
        '--upload-total-timeout-ms',
        '1500',
      ],
      env: {},
    },
    {
      how: 'variables',
      args: [],
      env: {
        FAUST_CSP_EXTRA: 'connect-src https://api.example.com',
        FAUST_FRAME_ANCESTORS: 'https://a.example.com,https://b.example.com',
        FAUST_ALLOWED_ORIGINS: 'https://partner.example.org',
        FAUST_PUBLIC_ORIGIN: 'https://tasks.example.com',
        FAUST_MAX_CONCURRENT_UPLOADS: '1',
        FAUST_UPLOAD_TOTAL_TIMEOUT_MS: '1500',
      },
    },
  ])(
    'takes --csp-extra, --frame-ancestors, origins, the upload cap and total timeout from $how',
    async ({ args, env }) => {
      await using uploads = await tempDir('faust-cli-surface-')
      const { cli, url } = await router(args, env, uploads.path)
      const policy = await policyOf(url)
      expect(policy).toContain("connect-src 'self' https://api.example.com")
      expect(policy).toContain("frame-ancestors 'self' https://a.example.com https://b.example.com")

      const socketUrl = `${url.replace('http', 'ws')}/`
      expect(await upgrade(socketUrl, { origin: 'https://partner.example.org' })).toEqual({
        opened: true,
      })
      expect(await upgrade(socketUrl, { origin: 'https://tasks.example.com' })).toEqual({
        opened: true,
      })
      // With a public origin, the address the router listens on is not its origin.
      expect(await upgrade(socketUrl, { origin: url })).toEqual(REFUSED)

      const stalled = stalledUpload(url)
      await waitForUploadFile(uploads.path)
      const form = new FormData()
      form.append('file', new Blob(['x']), 'x.txt')
      const refused = await fetch(`${url}/submit_task`, {
        method: 'POST',
        body: form,
        signal: AbortSignal.timeout(5000),
      })
      expect([refused.status, await refused.json()]).toEqual([503, errorBody('TOO_MANY_UPLOADS')])
      // The idle timeout is the default 30 s: this 408 is the 1.5 s total timeout.
      expect(await stalled).toBe('HTTP/1.1 408 Request Timeout')
      expect(await readdir(uploads.path)).toEqual([])

      cli.child.kill('SIGTERM')
      expect((await cli.exited()).code).toBe(0)
    },
    SEVERAL_PROCESSES.timeout,
  )

  it.each([
    {
      how: 'flags',
      args: ['--csp', "default-src 'self'", '--upload-idle-timeout-ms', '300'],
      env: {},
    },
    {
      how: 'variables',
      args: [],
      env: { FAUST_CSP: "default-src 'self'", FAUST_UPLOAD_IDLE_TIMEOUT_MS: '300' },
    },
  ])(
    'takes --csp and the upload idle timeout from $how',
    async ({ args, env }) => {
      await using uploads = await tempDir('faust-cli-surface-')
      const { cli, url } = await router(args, env, uploads.path)
      expect(await policyOf(url)).toBe("default-src 'self'")
      // The total timeout is the default 10 minutes: this 408 is the idle timeout.
      expect(await stalledUpload(url)).toBe('HTTP/1.1 408 Request Timeout')
      expect(await readdir(uploads.path)).toEqual([])
      cli.child.kill('SIGTERM')
      expect((await cli.exited()).code).toBe(0)
    },
    SEVERAL_PROCESSES.timeout,
  )

  it('refuses a foreign origin and sends the default policy when no flag is given', async () => {
    await using uploads = await tempDir('faust-cli-surface-')
    const { cli, url } = await router([], {}, uploads.path)
    expect(await policyOf(url)).toContain("frame-ancestors 'self' https://*.mturk.com")
    const socketUrl = `${url.replace('http', 'ws')}/`
    expect(await upgrade(socketUrl, { origin: 'https://partner.example.org' })).toEqual(REFUSED)
    expect(await upgrade(socketUrl, { origin: url })).toEqual({ opened: true })
    cli.child.kill('SIGTERM')
    expect((await cli.exited()).code).toBe(0)
  })
})

describe('faust run surface flags', () => {
  it.each([
    {
      how: 'flags',
      args: [
        '--csp-extra',
        'img-src https://img.example.com',
        '--allowed-origins',
        'https://partner.example.org',
      ],
      env: {},
    },
    {
      how: 'variables',
      args: [],
      env: {
        FAUST_CSP_EXTRA: 'img-src https://img.example.com',
        FAUST_ALLOWED_ORIGINS: 'https://partner.example.org',
      },
    },
  ])(
    "passes them to the run's own router ($how)",
    async ({ args, env }) => {
      await using data = await tempDir('faust-cli-run-surface-')
      const cli = startCli(
        ['run', FIXTURE_DIR, '--port', '0', '--data-dir', data.path, ...args],
        env,
      )
      const [link] = await workerLinks(cli)
      expect(await policyOf(link!.base)).toContain('https://img.example.com')
      const socketUrl = `${link!.base.replace('http', 'ws')}/`
      expect(await upgrade(socketUrl, { origin: 'https://partner.example.org' })).toEqual({
        opened: true,
      })
      cli.child.kill('SIGINT')
      await cli.exited()
    },
    SEVERAL_PROCESSES.timeout,
  )
})
