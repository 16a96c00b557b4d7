// GET /download_file/<name>: uploads, for the backend only (docs/protocol.md §3.7, W2, W3).
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startTestRouter, type TestRouter } from '@faust/testing'
import { call, errorBody, postForm, rawGet, registerAgent } from '@faust/testing/http'

const CONTENT = 'uploaded by worker 1001\n'

/** Submits one file as agent 1001 and returns the name the router generated for it. */
async function uploadOne(t: TestRouter): Promise<string> {
  const backend = await t.connectBackend()
  await registerAgent(t, backend, '1001')
  const form = new FormData()
  form.append('USED_AGENT_ID', '1001')
  form.append('final_string_data', '{}')
  form.append('file', new Blob([CONTENT], { type: 'text/plain' }), 'answer.txt')
  expect((await postForm(t, '/submit_task', form)).status).toBe(200)
  const data = (await backend.next('submit_unit')).data as { files: { filename: string }[] }
  return data.files[0]!.filename
}

describe('GET /download_file/<name>', () => {
  it('answers 401 NOT_AUTHORIZED without the backend secret or with a wrong one', async () => {
    await using t = await startTestRouter()
    const name = await uploadOne(t)
    const attempts: [string, RequestInit][] = [
      [`/download_file/${name}`, {}],
      [`/download_file/${name}`, { headers: { authorization: 'Bearer not-the-secret-at-all' } }],
      [`/download_file/${name}`, { headers: { authorization: t.token } }],
      [`/download_file/${name}?token=not-the-secret-at-all`, {}],
      [`/download_file/${name}?token=`, {}],
    ]
    for (const [path, init] of attempts) {
      const response = await call(t, path, init)
      expect({ path, result: [response.status, response.body] }).toEqual({
        path,
        result: [401, errorBody('NOT_AUTHORIZED')],
      })
      expect(response.text).not.toContain(CONTENT)
    }
  })

  it('serves an upload by its generated name with the secret as a Bearer header or ?token=', async () => {
    await using t = await startTestRouter()
    const name = await uploadOne(t)
    const viaHeader = await call(t, `/download_file/${name}`, {
      headers: { authorization: `Bearer ${t.token}` },
    })
    expect([viaHeader.status, viaHeader.text]).toEqual([200, CONTENT])
    const viaQuery = await call(t, `/download_file/${name}?token=${t.token}`)
    expect([viaQuery.status, viaQuery.text]).toEqual([200, CONTENT])
  })

  it('answers 404 for names the router did not generate and for traversal attempts', async () => {
    await using t = await startTestRouter()
    const name = await uploadOne(t)
    // Files the router never generated, inside and next to the upload folder.
    await writeFile(join(t.uploadDir, 'notes.txt'), 'not an upload')
    await mkdir(join(t.uploadDir, 'sub'))
    await writeFile(join(t.uploadDir, 'sub', name), 'nested')
    await writeFile(join(dirname(t.uploadDir), 'secret.txt'), 'TOP SECRET')
    const auth = { authorization: `Bearer ${t.token}` }
    const paths = [
      '/download_file/..%2F..%2Fetc%2Fhostname',
      '/download_file/..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd',
      '/download_file/..%2Fsecret.txt',
      '/download_file/%2e%2e%2fsecret.txt',
      '/download_file/..%5Csecret.txt',
      `/download_file/sub%2F${name}`,
      '/download_file/notes.txt',
      '/download_file/index.html',
      '/download_file/.',
      `/download_file/${'0'.repeat(32)}.txt`,
    ]
    for (const path of paths) {
      const response = await rawGet(t, path, auth)
      expect({ path, result: [response.status, response.body] }).toEqual({
        path,
        result: [404, errorBody('NOT_FOUND')],
      })
      expect(response.text).not.toMatch(/TOP SECRET|not an upload|nested|root:|<html/)
    }
    // A path that leaves the route altogether is not a download either.
    const escaped = await rawGet(t, '/download_file/../../secret.txt', auth)
    expect([escaped.status, escaped.body]).toEqual([404, errorBody('NOT_FOUND')])
    expect(t.logger.lines.filter((line) => line.level === 'error')).toEqual([])
  })

  it('does not serve uploads as static files', async () => {
    await using t = await startTestRouter()
    const name = await uploadOne(t)
    const response = await call(t, `/${name}`)
    expect([response.status, response.body]).toEqual([404, errorBody('NOT_FOUND')])
  })
})

describe('GET /download_file/<name>: never active content (issue 9 item 4)', () => {
  it.each([
    ['page.html', 'text/html', '<script>alert(document.cookie)</script>'],
    ['image.svg', 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'],
  ])('serves an uploaded %s as a sandboxed, unsniffed attachment', async (file, type, content) => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    await registerAgent(t, backend, '1001')
    const form = new FormData()
    form.append('USED_AGENT_ID', '1001')
    form.append('final_string_data', '{}')
    form.append('file', new Blob([content], { type }), file)
    expect((await postForm(t, '/submit_task', form)).status).toBe(200)
    const data = (await backend.next('submit_unit')).data as { files: { filename: string }[] }
    const response = await fetch(`${t.router.url}/download_file/${data.files[0]!.filename}`, {
      headers: { authorization: `Bearer ${t.token}` },
      signal: AbortSignal.timeout(5000),
    })
    expect(await response.text()).toBe(content)
    expect({
      status: response.status,
      disposition: response.headers.get('content-disposition'),
      nosniff: response.headers.get('x-content-type-options'),
      csp: response.headers.get('content-security-policy'),
    }).toEqual({ status: 200, disposition: 'attachment', nosniff: 'nosniff', csp: 'sandbox' })
  })
})
