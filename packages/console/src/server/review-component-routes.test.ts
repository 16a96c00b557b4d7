// The routes of a task's own review view, over a real socket: whether a task
// has one (and its versioned address), the bundle's bytes and type, and the
// refusals: no session, a name that is not a task's, a task without one.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FakeClock } from '@faust/testing'
import { makeTempDir, removeTempDir } from '@faust/testing/store'
import { createOperatorActions } from '@faust/backend'
import { openDatabase, type Store } from '@faust/backend/store'
import { createConsoleServer, type ConsoleServer } from './console-server.js'
import { login, rawRequest, type ConsoleSession } from './test-support/console-client.js'

let dataDir: string
let store: Store
let server: ConsoleServer
let session: ConsoleSession

beforeEach(async () => {
  dataDir = await makeTempDir()
  store = await openDatabase({ dataDir })
  const reviewDir = join(dataDir, 'review')
  await mkdir(reviewDir)
  await writeFile(join(reviewDir, 'label.js'), 'export function mount() {}\n')
  await writeFile(join(reviewDir, 'label.css'), 'p { color: red }\n')
  await writeFile(join(reviewDir, 'plain.js'), 'export function mount() {}\n')
  await writeFile(join(dataDir, 'secret.js'), 'not to be served\n')
  server = await createConsoleServer({
    store,
    actions: createOperatorActions({ store, env: {}, actor: 'console' }),
    clock: new FakeClock(),
    port: 0,
    reviewDir,
  })
  session = await login(server)
})

afterEach(async () => {
  await server.close()
  await store.close()
  await removeTempDir(dataDir)
})

interface ComponentAnswer {
  readonly component: { readonly script: string; readonly style: string | null } | null
}

describe("a task's review view routes", () => {
  it('name the bundle and its styles by versioned address, and serve them with their types', async () => {
    const label = JSON.parse(
      (await session.get('/api/tasks/label/review-component')).text,
    ) as ComponentAnswer
    expect(label.component?.script).toMatch(/^\/api\/tasks\/label\/review\.js\?v=[0-9a-f]{16}$/)
    expect(label.component?.style).toMatch(/^\/api\/tasks\/label\/review\.css\?v=[0-9a-f]{16}$/)
    const script = await session.get(label.component!.script)
    expect(script.status).toBe(200)
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(script.text).toBe('export function mount() {}\n')
    const style = await session.get(label.component!.style!)
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8')

    const plain = JSON.parse(
      (await session.get('/api/tasks/plain/review-component')).text,
    ) as ComponentAnswer
    expect(plain.component?.style).toBeNull()
    expect((await session.get('/api/tasks/plain/review.css')).status).toBe(404)
  })

  it('change the version when the bundle is rebuilt', async () => {
    const before = JSON.parse(
      (await session.get('/api/tasks/label/review-component')).text,
    ) as ComponentAnswer
    await writeFile(join(dataDir, 'review', 'label.js'), 'export function mount() { return 1 }\n')
    const after = JSON.parse(
      (await session.get('/api/tasks/label/review-component')).text,
    ) as ComponentAnswer
    expect(after.component?.script).not.toBe(before.component?.script)
  })

  it('answer a task without one with null, and its bundle with 404', async () => {
    expect(JSON.parse((await session.get('/api/tasks/none/review-component')).text)).toEqual({
      component: null,
    })
    expect((await session.get('/api/tasks/none/review.js')).status).toBe(404)
  })

  it('refuse names that are not a task’s, and never read outside the folder', async () => {
    for (const name of ['..%2Fsecret', '%2E%2E%2Fsecret', 'a%20b', 'x'.repeat(201)]) {
      const answer = await session.get(`/api/tasks/${name}/review.js`)
      // 414: Fastify's own limit on a path parameter's length (100) comes first.
      expect([400, 414]).toContain(answer.status)
      expect(answer.text).not.toContain('not to be served')
    }
  })

  it('need a session', async () => {
    const answer = await rawRequest(server, { path: '/api/tasks/label/review.js' })
    expect(answer.status).toBe(401)
  })
})
