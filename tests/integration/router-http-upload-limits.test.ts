// Bounds on multipart uploads (issue 9 item 4): a cap on uploads received at
// once, and idle and total timeouts on the injected clock. A client that stops
// sending mid-body is answered 408, its partial file removed and its slot
// freed. Real router, real sockets; time moves only through the fake clock.
import { readdir, stat } from 'node:fs/promises'
import { connect, type Socket } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createRouter } from '@faust/router'
import { startTestRouter, type TestRouter } from '@faust/testing'
import { errorBody, postForm, registerAgent } from '@faust/testing/http'

const BOUNDARY = 'faust-stalled-upload'
const FILE_BYTES = 64 * 1024

/** An HTTP answer read off a raw socket. */
interface RawAnswer {
  readonly status: number
  readonly headers: string
  readonly body: unknown
}

/**
 * Starts a multipart /submit_task on a raw socket that sends the fields and
 * `FILE_BYTES` of a file, announces far more, then stops sending. `answer`
 * resolves with whatever the router answers (bounded in real time).
 */
function stalledUpload(t: TestRouter): { socket: Socket; answer: Promise<RawAnswer> } {
  const head = [
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="USED_AGENT_ID"\r\n\r\n1001\r\n`,
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="final_string_data"\r\n\r\n{}\r\n`,
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n`,
    'Content-Type: application/octet-stream\r\n\r\n',
  ].join('')
  const socket = connect(t.router.port, t.router.host)
  socket.write(
    'POST /submit_task HTTP/1.1\r\n' +
      `Host: ${t.router.host}:${String(t.router.port)}\r\n` +
      `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\n` +
      `Content-Length: ${String(100 * 1024 * 1024)}\r\n\r\n` +
      head,
  )
  socket.write(Buffer.alloc(FILE_BYTES, 7))
  const answer = new Promise<RawAnswer>((resolve, reject) => {
    const chunks: Buffer[] = []
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error('no answer to the stalled upload within 5 s'))
    }, 5000)
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('close', () => {
      clearTimeout(timer)
      const text = Buffer.concat(chunks).toString('utf8')
      const [headers = '', body = ''] = text.split('\r\n\r\n', 2)
      resolve({
        status: Number(/^HTTP\/1\.1 (\d+)/.exec(headers)?.[1] ?? 0),
        headers,
        body: JSON.parse(body) as unknown,
      })
    })
  })
  return { socket, answer }
}

/**
 * Waits (real time, bounded) until the router has written every byte of the
 * `sent` file bytes that its parser can already know is file data: from then
 * on the connection is idle.
 */
async function waitForPartialFile(t: TestRouter, sent = FILE_BYTES): Promise<void> {
  const deadline = Date.now() + 5000
  for (;;) {
    const sizes = await Promise.all(
      (await readdir(t.uploadDir)).map(async (name) => (await stat(join(t.uploadDir, name))).size),
    )
    // busboy holds back up to a boundary's length, looking for the boundary.
    if (sizes.some((size) => size >= sent - 2 * BOUNDARY.length)) return
    if (Date.now() > deadline) throw new Error(`partial file never appeared: ${String(sizes)}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

function smallUpload(): FormData {
  const form = new FormData()
  form.append('USED_AGENT_ID', '1001')
  form.append('final_string_data', '{}')
  form.append('file', new Blob(['small']), 'small.txt')
  return form
}

describe('upload limits', () => {
  it('ends a stalled upload with 408 UPLOAD_TIMEOUT, removes its partial file and frees its slot', async () => {
    await using t = await startTestRouter({ uploadIdleTimeoutMs: 1000, maxConcurrentUploads: 1 })
    const backend = await t.connectBackend()
    await registerAgent(t, backend, '1001')
    const stalled = stalledUpload(t)
    await waitForPartialFile(t)

    // The one slot is taken: another upload is refused at once.
    const refused = await fetch(`${t.router.url}/submit_task`, {
      method: 'POST',
      body: smallUpload(),
      signal: AbortSignal.timeout(5000),
    })
    expect([refused.status, await refused.json(), refused.headers.get('retry-after')]).toEqual([
      503,
      errorBody('TOO_MANY_UPLOADS'),
      '5',
    ])

    t.clock.advance(2000)
    const answer = await stalled.answer
    expect([answer.status, answer.body]).toEqual([408, errorBody('UPLOAD_TIMEOUT')])
    expect(answer.headers.toLowerCase()).toContain('connection: close')
    expect(await readdir(t.uploadDir)).toEqual([])

    // The slot is free again: a whole upload goes through.
    const next = await postForm(t, '/submit_task', smallUpload())
    expect(next.status).toBe(200)
    const data = (await backend.next('submit_unit')).data as { files: { originalname: string }[] }
    expect(data.files.map((file) => file.originalname)).toEqual(['small.txt'])
    expect(t.logger.lines.filter((line) => line.level === 'error')).toEqual([])
  })

  it('does not end an upload that keeps sending, however long it takes in all', async () => {
    await using t = await startTestRouter({ uploadIdleTimeoutMs: 1000 })
    const backend = await t.connectBackend()
    await registerAgent(t, backend, '1001')
    const stalled = stalledUpload(t)
    await waitForPartialFile(t)
    // 3 s in all, never 1 s without a byte: the file keeps growing.
    for (let round = 1; round <= 5; round += 1) {
      t.clock.advance(600)
      stalled.socket.write(Buffer.alloc(FILE_BYTES, 7))
      await waitForPartialFile(t, (round + 1) * FILE_BYTES)
    }
    t.clock.advance(2000)
    const answer = await stalled.answer
    expect([answer.status, answer.body]).toEqual([408, errorBody('UPLOAD_TIMEOUT')])
    expect(await readdir(t.uploadDir)).toEqual([])
  })

  it('ends an upload that runs past the total timeout even while it is not idle', async () => {
    await using t = await startTestRouter({ uploadTotalTimeoutMs: 3000 })
    const backend = await t.connectBackend()
    await registerAgent(t, backend, '1001')
    const stalled = stalledUpload(t)
    await waitForPartialFile(t)
    t.clock.advance(3000)
    const answer = await stalled.answer
    expect([answer.status, answer.body]).toEqual([408, errorBody('UPLOAD_TIMEOUT')])
    expect(await readdir(t.uploadDir)).toEqual([])
  })
})

describe('surface options', () => {
  it.each([
    [{ maxConcurrentUploads: 0 }, /maxConcurrentUploads/],
    [{ uploadIdleTimeoutMs: 1.5 }, /uploadIdleTimeoutMs/],
    [{ uploadTotalTimeoutMs: -1 }, /uploadTotalTimeoutMs/],
    [{ publicOrigin: 'tasks.example.com' }, /publicOrigin/],
    [{ allowedOrigins: ['ftp://files.example.com'] }, /allowedOrigins/],
    [{ cspExtra: 'script_src x' }, /CSP directive/],
  ])('refuses %o before listening', async (options, message) => {
    await expect(
      createRouter({ backendToken: 'a-secret-of-sixteen-chars', port: 0, ...options }),
    ).rejects.toThrow(message)
  })
})
