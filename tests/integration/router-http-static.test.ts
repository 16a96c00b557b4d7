// The router's diagnostics, task page and task_config.json (docs/protocol.md §3.1, §3.7, §11 items 4-6).
import { mkdir, symlink, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MEPHISTO_TASK_VERSION, versionMismatchText } from '@faust/protocol'
import { FIXTURE_FILES, startTestRouter } from '@faust/testing'
import { call, errorBody, expectNothingRelayed, rawGet, wireNow } from '@faust/testing/http'

const INDEX_HTML = FIXTURE_FILES['index.html']
const TASK_CONFIG = FIXTURE_FILES['task_config.json']

describe('GET /is_alive', () => {
  it('answers {"status":"Alive!"}', async () => {
    await using t = await startTestRouter()
    const response = await call(t, '/is_alive')
    expect(response.status).toBe(200)
    expect(response.text).toBe('{"status":"Alive!"}')
    expect(response.contentType).toMatch(/^application\/json/)
  })
})

describe('GET /get_timestamp', () => {
  it("answers the clock's now in integer milliseconds", async () => {
    await using t = await startTestRouter()
    const first = await call(t, '/get_timestamp')
    expect(first.status).toBe(200)
    expect(first.body).toEqual({ timestamp: t.clock.now() })
    t.clock.advance(1234)
    const second = await call(t, '/get_timestamp')
    expect(second.body).toEqual({ timestamp: t.clock.now() })
    expect(Number.isInteger((second.body as { timestamp: number }).timestamp)).toBe(true)
    expect((second.body as { timestamp: number }).timestamp).toBe(
      (first.body as { timestamp: number }).timestamp + 1234,
    )
  })
})

describe('static task page', () => {
  it('serves index.html at /, then wrap_crowd_source.js and bundle.js', async () => {
    await using t = await startTestRouter()
    const index = await call(t, '/')
    expect(index.status).toBe(200)
    expect(index.contentType).toMatch(/^text\/html/)
    expect(index.text).toBe(INDEX_HTML)
    for (const name of ['wrap_crowd_source.js', 'bundle.js']) {
      const script = await call(t, `/${name}`)
      expect(script.status).toBe(200)
      expect(script.contentType).toMatch(/javascript/)
      expect(script.text).toBe(FIXTURE_FILES[name])
    }
  })

  it('serves index.html at /task_index and /welcome', async () => {
    await using t = await startTestRouter()
    for (const path of ['/task_index', '/welcome']) {
      const page = await call(t, path)
      expect(page.status).toBe(200)
      expect(page.contentType).toMatch(/^text\/html/)
      expect(page.text).toBe(INDEX_HTML)
    }
  })

  it('answers an unknown path with a 404 JSON error', async () => {
    await using t = await startTestRouter()
    for (const path of ['/no_such_file.js', '/deeper/no/such/page', '/register_worker']) {
      const response = await call(t, path)
      expect(response.status).toBe(404)
      expect(response.contentType).toMatch(/^application\/json/)
      expect(response.body).toEqual(errorBody('NOT_FOUND'))
    }
  })

  it('never serves a file outside the static folder', async () => {
    await using t = await startTestRouter()
    // A file right next to the static folder: the first thing a traversal reaches.
    await writeFile(join(dirname(t.staticDir), 'secret.txt'), 'TOP SECRET')
    const attempts = [
      '/..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd',
      '/..%2Fsecret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/../secret.txt',
      '/bundle.js/../../secret.txt',
      '/..%5Csecret.txt',
      '/%252e%252e%252fsecret.txt',
      '/%00',
    ]
    for (const path of attempts) {
      const response = await rawGet(t, path)
      expect(response.text).not.toMatch(/TOP SECRET|root:/)
      expect({ path, result: [response.status, response.body] }).toEqual({
        path,
        result: [404, errorBody('NOT_FOUND')],
      })
    }
    // A refused path is the client's doing: never logged as an internal error.
    expect(t.logger.lines).toEqual([])
  })
})

describe('GET /task_config.json', () => {
  it('serves the file verbatim and sends nothing to the backend for the expected version', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    const response = await call(
      t,
      `/task_config.json?mephisto_task_version=${MEPHISTO_TASK_VERSION}`,
    )
    expect(response.status).toBe(200)
    expect(response.contentType).toMatch(/^application\/json/)
    expect(response.text).toBe(TASK_CONFIG)
    await expectNothingRelayed(backend)
  })

  it.each([
    ['another version', '?mephisto_task_version=2.0.3', '2.0.3'],
    ['no version', '', undefined],
    ['an empty version', '?mephisto_task_version=', ''],
  ])('serves the same file and reports one version mismatch for %s', async (_, query, sent) => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    const response = await call(t, `/task_config.json${query}`)
    expect(response.status).toBe(200)
    expect(response.text).toBe(TASK_CONFIG)
    const report = await backend.next('log_error')
    expect(report).toEqual({
      packet_type: 'log_error',
      subject_id: 'mephisto',
      data: { error_type: 'version-mismatch', text: versionMismatchText(sent) },
      router_incoming_timestamp: wireNow(t),
      router_outgoing_timestamp: wireNow(t),
    })
    await expectNothingRelayed(backend)
  })
})

describe('static task page: hidden files and symlinks (issue 9 item 3)', () => {
  it('never serves a dotfile or a dot folder, however the dot is spelled', async () => {
    await using t = await startTestRouter()
    await writeFile(join(t.staticDir, '.env'), 'SECRET=dotenv')
    await mkdir(join(t.staticDir, '.git'))
    await writeFile(join(t.staticDir, '.git', 'config'), '[core] SECRET')
    await mkdir(join(t.staticDir, 'assets'))
    await writeFile(join(t.staticDir, 'assets', '.htpasswd'), 'SECRET:hash')
    const attempts = [
      '/.env',
      '/%2eenv',
      '/%2Eenv',
      '/.git/config',
      '/%2egit/config',
      '/assets/.htpasswd',
      '/assets/%2ehtpasswd',
      '/assets/..%2F.env',
    ]
    for (const path of attempts) {
      const response = await rawGet(t, path)
      expect(response.text).not.toContain('SECRET')
      expect({ path, result: [response.status, response.body] }).toEqual({
        path,
        result: [404, errorBody('NOT_FOUND')],
      })
    }
  })

  it('answers 404 for a symlink that leads out of the static folder', async () => {
    await using t = await startTestRouter()
    const outside = join(dirname(t.staticDir), 'outside')
    await mkdir(outside)
    await writeFile(join(outside, 'passwd'), 'root:x:0:0 SECRET')
    await symlink(outside, join(t.staticDir, 'link'))
    await symlink(join(outside, 'passwd'), join(t.staticDir, 'passwd.txt'))
    for (const path of ['/link/passwd', '/passwd.txt', '/link/']) {
      const response = await rawGet(t, path)
      expect(response.text).not.toContain('SECRET')
      expect({ path, result: [response.status, response.body] }).toEqual({
        path,
        result: [404, errorBody('NOT_FOUND')],
      })
    }
  })

  it('still serves nested files, folder indexes and symlinks that stay inside', async () => {
    await using t = await startTestRouter()
    await mkdir(join(t.staticDir, 'assets', 'page'), { recursive: true })
    await writeFile(join(t.staticDir, 'assets', 'style.css'), 'body { color: red }')
    await writeFile(join(t.staticDir, 'assets', 'page', 'index.html'), '<p>nested</p>')
    await writeFile(join(t.staticDir, 'assets', 'a b%.txt'), 'spaced')
    await symlink(join(t.staticDir, 'bundle.js'), join(t.staticDir, 'alias.js'))
    const css = await rawGet(t, '/assets/style.css')
    expect([css.status, css.contentType, css.text]).toEqual([
      200,
      'text/css; charset=utf-8',
      'body { color: red }',
    ])
    const nested = await rawGet(t, '/assets/page/')
    expect([nested.status, nested.text]).toEqual([200, '<p>nested</p>'])
    const spaced = await rawGet(t, '/assets/a%20b%25.txt')
    expect([spaced.status, spaced.text]).toEqual([200, 'spaced'])
    const alias = await rawGet(t, '/alias.js')
    expect([alias.status, alias.text]).toEqual([200, FIXTURE_FILES['bundle.js']])
  })

  it('keeps the caching headers of the task page', async () => {
    await using t = await startTestRouter()
    const response = await fetch(`${t.router.url}/bundle.js`, { signal: AbortSignal.timeout(5000) })
    expect(response.status).toBe(200)
    expect(response.headers.get('etag')).toMatch(/\S/)
    expect(response.headers.get('last-modified')).toMatch(/GMT$/)
    expect(response.headers.get('cache-control')).toBe('public, max-age=0')
    expect(response.headers.get('content-type')).toMatch(/javascript/)
  })
})
