import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Logger } from '@faust/protocol'
import { createRouter, type Router, type RouterOptions } from '@faust/router'
import { FakeClock } from './fake-clock.js'
import { TestAgent, TestBackend } from './test-backend.js'

/** A logger that records warnings and errors so tests can assert on them. */
export class RecordingLogger implements Logger {
  readonly lines: { level: string; message: string; details: object }[] = []
  debug(): void {
    // only warnings and errors are recorded
  }
  info(): void {
    // only warnings and errors are recorded
  }
  warn(details: object, message: string): void {
    this.lines.push({ level: 'warn', message, details })
  }
  error(details: object, message: string): void {
    this.lines.push({ level: 'error', message, details })
  }
}

/** A router on a free loopback port, with a fake clock and a task page fixture. */
export interface TestRouter extends AsyncDisposable {
  readonly router: Router
  readonly clock: FakeClock
  readonly token: string
  readonly staticDir: string
  readonly uploadDir: string
  readonly logger: RecordingLogger
  /** Connects an authenticated backend that has sent `alive`. */
  connectBackend(options?: Parameters<typeof TestBackend.connect>[2]): Promise<TestBackend>
  connectAgent(agentId: string): Promise<TestAgent>
  /** POSTs JSON and returns status and parsed body. */
  post(path: string, body: unknown, init?: RequestInit): Promise<{ status: number; body: unknown }>
  get(path: string, init?: RequestInit): Promise<{ status: number; body: unknown; text: string }>
}

/** The task page fixture every test router serves. */
export const FIXTURE_FILES: Record<string, string> = {
  'index.html':
    '<!doctype html><html><head><script src="wrap_crowd_source.js"></script></head><body><div id="app"></div><script src="bundle.js"></script></body></html>',
  'wrap_crowd_source.js':
    'window.getWorkerName = () => new URLSearchParams(location.search).get("worker_id")',
  'bundle.js': 'console.log("task bundle")',
  'task_config.json': JSON.stringify({
    task_title: 'Fixture task',
    block_mobile: false,
    mephisto_task_version: '2.0.4',
  }),
}

/**
 * Starts a router for a test: port 0 on 127.0.0.1, a fake clock, a random
 * secret, temporary static and upload folders, all removed on dispose.
 *
 * @example
 * await using t = await startTestRouter()
 * await using backend = await t.connectBackend()
 */
export async function startTestRouter(options: Partial<RouterOptions> = {}): Promise<TestRouter> {
  const root = await mkdtemp(join(tmpdir(), 'faust-test-'))
  const staticDir = join(root, 'static')
  const uploadDir = join(root, 'uploads')
  const { mkdir } = await import('node:fs/promises')
  await mkdir(staticDir)
  for (const [name, content] of Object.entries(FIXTURE_FILES))
    await writeFile(join(staticDir, name), content)
  const clock = new FakeClock()
  const logger = new RecordingLogger()
  const token = randomBytes(24).toString('hex')
  const router = await createRouter({
    host: '127.0.0.1',
    port: 0,
    backendToken: token,
    staticDir,
    uploadDir,
    clock,
    logger,
    ...options,
  })
  const sockets: { close(): Promise<void> }[] = []
  const request = async (
    path: string,
    init: RequestInit,
  ): Promise<{ status: number; text: string; body: unknown }> => {
    const response = await fetch(router.url + path, { ...init, signal: AbortSignal.timeout(5000) })
    const text = await response.text()
    let body: unknown = text
    try {
      body = JSON.parse(text)
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, text, body }
  }
  return {
    router,
    clock,
    token,
    staticDir,
    uploadDir: router.uploadDir,
    logger,
    async connectBackend(connectOptions) {
      const backend = await TestBackend.connect(router.socketUrl, token, connectOptions)
      sockets.push(backend)
      return backend
    },
    async connectAgent(agentId) {
      const agent = await TestAgent.connect(router.socketUrl, agentId)
      sockets.push(agent)
      return agent
    },
    async post(path, body, init = {}) {
      const { status, body: parsed } = await request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
        ...init,
      })
      return { status, body: parsed }
    },
    get: (path, init = {}) => request(path, { method: 'GET', ...init }),
    async [Symbol.asyncDispose]() {
      await Promise.all(sockets.map((socket) => socket.close().catch(() => undefined)))
      await router.close()
      await rm(root, { recursive: true, force: true })
    },
  }
}
