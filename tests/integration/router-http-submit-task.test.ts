// POST /submit_task: JSON and multipart bodies, uploads, limits, and delivery
// while the backend is away (docs/protocol.md §2.6, §3.4, W3, W5, W11, W13; §11 item 14).
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startTestRouter } from '@faust/testing'
import {
  call,
  errorBody,
  expectNothingRelayed,
  postForm,
  postJson,
  registerAgent,
  wireNow,
} from '@faust/testing/http'

const SUBMITTED = { status: 'Submitted!' }

/** A generated upload name: 32 hex digits, then the original extension. */
const generatedName = (extension: string): RegExp => new RegExp(`^[0-9a-f]{32}\\${extension}$`)

describe('POST /submit_task with JSON', () => {
  it('answers {"status":"Submitted!"} and sends submit_unit with final_data exactly', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    await registerAgent(t, backend, '1001')
    const finalData = { answer: 'cat', scores: [1, 2.5, null], nested: { ok: true } }
    const response = await postJson(t, '/submit_task', {
      USED_AGENT_ID: '1001',
      final_data: finalData,
      client_timestamp: 1767225610.5,
    })
    expect(response.status).toBe(200)
    expect(response.text).toBe('{"status":"Submitted!"}')
    expect(await backend.next('submit_unit')).toStrictEqual({
      packet_type: 'submit_unit',
      subject_id: '1001',
      data: finalData,
      client_timestamp: 1767225610.5,
      router_incoming_timestamp: wireNow(t),
      router_outgoing_timestamp: wireNow(t),
    })
  })

  it('sends the parsed final_string_data, which wins over final_data', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    await registerAgent(t, backend, '1001')
    await registerAgent(t, backend, '1002')
    const only = await postJson(t, '/submit_task', {
      USED_AGENT_ID: '1001',
      final_string_data: JSON.stringify({ from: 'string', list: [1] }),
    })
    expect([only.status, only.body]).toEqual([200, SUBMITTED])
    expect((await backend.next('submit_unit')).data).toStrictEqual({ from: 'string', list: [1] })
    const both = await postJson(t, '/submit_task', {
      USED_AGENT_ID: '1002',
      final_data: { from: 'object' },
      final_string_data: '"just a string"',
    })
    expect([both.status, both.body]).toEqual([200, SUBMITTED])
    expect((await backend.next('submit_unit')).data).toBe('just a string')
  })

  it('accepts a legitimate 1 MiB submission', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    await registerAgent(t, backend, '1001')
    const text = 'x'.repeat(1024 * 1024)
    const response = await postJson(t, '/submit_task', {
      USED_AGENT_ID: '1001',
      final_data: { text },
    })
    expect([response.status, response.body]).toEqual([200, SUBMITTED])
    expect(((await backend.next('submit_unit')).data as { text: string }).text).toBe(text)
  })

  it.each([
    ['USED_AGENT_ID is missing', { final_data: { a: 1 } }],
    ['USED_AGENT_ID is not a string', { USED_AGENT_ID: 1001, final_data: { a: 1 } }],
    ['final_data and final_string_data are both missing', { USED_AGENT_ID: '1001' }],
    ['final_string_data is not JSON', { USED_AGENT_ID: '1001', final_string_data: '{nope' }],
    ['the body is an array', [{ USED_AGENT_ID: '1001', final_data: {} }]],
  ])('answers 400 PACKET_INVALID and relays nothing when %s', async (_, body) => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    await registerAgent(t, backend, '1001')
    const response = await postJson(t, '/submit_task', body)
    expect(response.status).toBe(400)
    expect(response.body).toEqual(errorBody('PACKET_INVALID'))
    await expectNothingRelayed(backend)
  })

  it('answers 403 AGENT_UNKNOWN for an agent id the backend never issued', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    await registerAgent(t, backend, '1001')
    for (const agentId of ['1002', 'mephisto']) {
      const response = await postJson(t, '/submit_task', {
        USED_AGENT_ID: agentId,
        final_data: {},
      })
      expect({ agentId, result: [response.status, response.body] }).toEqual({
        agentId,
        result: [403, errorBody('AGENT_UNKNOWN')],
      })
    }
    await expectNothingRelayed(backend)
  })

  it('answers 400 MALFORMED_JSON for a body that is not JSON', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    for (const body of ['{"USED_AGENT_ID": "1001", ', '']) {
      const response = await postJson(t, '/submit_task', body)
      expect({ body, result: [response.status, response.body] }).toEqual({
        body,
        result: [400, errorBody('MALFORMED_JSON')],
      })
    }
    await expectNothingRelayed(backend)
  })

  it('answers 415 UNSUPPORTED_MEDIA_TYPE for a text/plain or urlencoded body', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    await registerAgent(t, backend, '1001')
    const json = JSON.stringify({ USED_AGENT_ID: '1001', final_data: {} })
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const response = await call(t, '/submit_task', {
        method: 'POST',
        headers: { 'content-type': type },
        body: json,
      })
      expect({ type, result: [response.status, response.body] }).toEqual({
        type,
        result: [415, errorBody('UNSUPPORTED_MEDIA_TYPE')],
      })
    }
    await expectNothingRelayed(backend)
  })

  it('answers 413 PAYLOAD_TOO_LARGE for a body over maxBodyBytes', async () => {
    await using t = await startTestRouter({ maxBodyBytes: 2048 })
    const backend = await t.connectBackend()
    await registerAgent(t, backend, '1001')
    const fits = await postJson(t, '/submit_task', {
      USED_AGENT_ID: '1001',
      final_data: { text: 'x'.repeat(1900) },
    })
    expect(fits.status).toBe(200)
    await backend.next('submit_unit')
    const response = await postJson(t, '/submit_task', {
      USED_AGENT_ID: '1001',
      final_data: { text: 'x'.repeat(4096) },
    })
    expect(response.status).toBe(413)
    expect(response.body).toEqual(errorBody('PAYLOAD_TOO_LARGE'))
    await expectNothingRelayed(backend)
  })
})

describe('POST /submit_task with multipart', () => {
  it('stores files under generated names and sends files and filesByFields', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    await registerAgent(t, backend, '1001')
    const image = new Uint8Array(3000).map((_, index) => (index * 7) % 256)
    const notes = 'line one\nline two\n'
    const form = new FormData()
    form.append('USED_AGENT_ID', '1001')
    form.append('final_string_data', JSON.stringify({ answer: 'cat', n: 2 }))
    form.append('photo', new Blob([image], { type: 'image/png' }), 'cat.png')
    form.append('notes', new Blob([notes], { type: 'text/plain' }), 'my notes.txt')
    const response = await postForm(t, '/submit_task', form)
    expect([response.status, response.body]).toEqual([200, SUBMITTED])

    const packet = await backend.next('submit_unit')
    const data = packet.data as {
      files: { filename: string }[]
      filesByFields: Record<string, unknown>
    }
    const [photoName, notesName] = data.files.map((file) => file.filename) as [string, string]
    expect(photoName).toMatch(generatedName('.png'))
    expect(notesName).toMatch(generatedName('.txt'))
    const photo = {
      originalname: 'cat.png',
      encoding: '7bit',
      mimetype: 'image/png',
      destination: t.uploadDir,
      filename: photoName,
      path: join(t.uploadDir, photoName),
      size: 3000,
    }
    const note = {
      originalname: 'my notes.txt',
      encoding: '7bit',
      mimetype: 'text/plain',
      destination: t.uploadDir,
      filename: notesName,
      path: join(t.uploadDir, notesName),
      size: Buffer.byteLength(notes),
    }
    expect(packet).toStrictEqual({
      packet_type: 'submit_unit',
      subject_id: '1001',
      data: {
        answer: 'cat',
        n: 2,
        files: [
          { fieldname: 'photo', ...photo },
          { fieldname: 'notes', ...note },
        ],
        filesByFields: { photo: [photo], notes: [note] },
      },
      client_timestamp: null,
      router_incoming_timestamp: wireNow(t),
      router_outgoing_timestamp: wireNow(t),
    })
    expect((await readdir(t.uploadDir)).sort()).toEqual([photoName, notesName].sort())
    expect(new Uint8Array(await readFile(photo.path))).toEqual(image)
    expect(await readFile(note.path, 'utf8')).toBe(notes)
  })

  it('answers 400 and keeps no file when USED_AGENT_ID is missing', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    const form = new FormData()
    form.append('final_string_data', '{}')
    form.append('photo', new Blob(['bytes']), 'a.png')
    const response = await postForm(t, '/submit_task', form)
    expect([response.status, response.body]).toEqual([400, errorBody('PACKET_INVALID')])
    expect(await readdir(t.uploadDir)).toEqual([])
    await expectNothingRelayed(backend)
  })

  it('answers 403 and keeps no file for an agent id the backend never issued', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    const form = new FormData()
    form.append('USED_AGENT_ID', 'never-issued')
    form.append('final_string_data', '{}')
    form.append('photo', new Blob(['bytes']), 'a.png')
    const response = await postForm(t, '/submit_task', form)
    expect([response.status, response.body]).toEqual([403, errorBody('AGENT_UNKNOWN')])
    expect(await readdir(t.uploadDir)).toEqual([])
    await expectNothingRelayed(backend)
  })

  it('answers 413 and keeps no file when a file is over maxUploadBytes', async () => {
    await using t = await startTestRouter({ maxUploadBytes: 1024 })
    const backend = await t.connectBackend()
    await registerAgent(t, backend, '1001')
    const form = new FormData()
    form.append('USED_AGENT_ID', '1001')
    form.append('final_string_data', '{}')
    form.append('small', new Blob(['x'.repeat(1024)]), 'small.txt')
    form.append('big', new Blob(['x'.repeat(4096)]), 'big.txt')
    const response = await postForm(t, '/submit_task', form)
    expect([response.status, response.body]).toEqual([413, errorBody('PAYLOAD_TOO_LARGE')])
    expect(await readdir(t.uploadDir)).toEqual([])
    await expectNothingRelayed(backend)
  })

  it('answers 413 and keeps no file when there are more files than maxUploadFiles', async () => {
    await using t = await startTestRouter({ maxUploadFiles: 2 })
    const backend = await t.connectBackend()
    await registerAgent(t, backend, '1001')
    const form = new FormData()
    form.append('USED_AGENT_ID', '1001')
    form.append('final_string_data', '{}')
    for (const name of ['a', 'b', 'c']) form.append(name, new Blob([name]), `${name}.txt`)
    const response = await postForm(t, '/submit_task', form)
    expect([response.status, response.body]).toEqual([413, errorBody('PAYLOAD_TOO_LARGE')])
    expect(await readdir(t.uploadDir)).toEqual([])
    await expectNothingRelayed(backend)
  })

  it('answers 413 instead of truncating a text field over maxBodyBytes', async () => {
    await using t = await startTestRouter({ maxBodyBytes: 2048 })
    const backend = await t.connectBackend()
    await registerAgent(t, backend, '1001')
    // The second value would still be valid JSON once cut at the limit.
    for (const value of [JSON.stringify({ text: 'x'.repeat(4096) }), `{}${' '.repeat(4096)}`]) {
      const form = new FormData()
      form.append('USED_AGENT_ID', '1001')
      form.append('final_string_data', value)
      const response = await postForm(t, '/submit_task', form)
      expect([response.status, response.body]).toEqual([413, errorBody('PAYLOAD_TOO_LARGE')])
    }
    await expectNothingRelayed(backend)
  })
})

describe('POST /submit_task while the backend is away', () => {
  it('accepts submissions and delivers them in order once a backend reconnects', async () => {
    await using t = await startTestRouter()
    const first = await t.connectBackend()
    await registerAgent(t, first, '1001')
    await registerAgent(t, first, '1002')
    await first.close()
    expect(t.router.stats().backendAttached).toBe(false)
    for (const agentId of ['1002', '1001']) {
      const response = await postJson(t, '/submit_task', {
        USED_AGENT_ID: agentId,
        final_data: { by: agentId },
      })
      expect([response.status, response.body]).toEqual([200, SUBMITTED])
    }
    expect(t.router.stats().backendBacklog).toBe(2)
    const second = await t.connectBackend()
    const delivered = [await second.next(), await second.next()]
    expect(delivered.map((packet) => [packet.packet_type, packet.subject_id, packet.data])).toEqual(
      [
        ['submit_unit', '1002', { by: '1002' }],
        ['submit_unit', '1001', { by: '1001' }],
      ],
    )
    expect(t.router.stats().backendBacklog).toBe(0)
  })

  it('answers 503 BACKLOG_FULL once maxBackendBacklog packets are waiting', async () => {
    await using t = await startTestRouter({ maxBackendBacklog: 1 })
    const first = await t.connectBackend()
    await registerAgent(t, first, '1001')
    await registerAgent(t, first, '1002')
    await first.close()
    const kept = await postJson(t, '/submit_task', { USED_AGENT_ID: '1001', final_data: {} })
    expect([kept.status, kept.body]).toEqual([200, SUBMITTED])
    const refused = await postJson(t, '/submit_task', { USED_AGENT_ID: '1002', final_data: {} })
    expect([refused.status, refused.body]).toEqual([503, errorBody('BACKLOG_FULL')])
    const second = await t.connectBackend()
    expect((await second.next('submit_unit')).subject_id).toBe('1001')
    await expectNothingRelayed(second)
    // With the backend back, the refused worker can submit again.
    const retried = await postJson(t, '/submit_task', { USED_AGENT_ID: '1002', final_data: {} })
    expect([retried.status, retried.body]).toEqual([200, SUBMITTED])
    expect((await second.next('submit_unit')).subject_id).toBe('1002')
  })
})
