// POST /submit_metadata and /log_error (docs/protocol.md §2.7, §2.13, §3.5-3.6, docs/protocol.md W11).
import { describe, expect, it } from 'vitest'
import { startTestRouter } from '@faust/testing'
import {
  errorBody,
  expectNothingRelayed,
  postForm,
  postJson,
  registerAgent,
  wireNow,
} from '@faust/testing/http'

describe('POST /submit_metadata', () => {
  it('answers {"status":"Submitted metadata"} and sends submit_metadata with the metadata object', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    await registerAgent(t, backend, '1001')
    const metadata = { feedback: { type: 'feedback', data: [{ questionId: 'q1', text: 'fine' }] } }
    const response = await postJson(t, '/submit_metadata', {
      USED_AGENT_ID: '1001',
      metadata,
      client_timestamp: 1767225620,
    })
    expect(response.status).toBe(200)
    expect(response.text).toBe('{"status":"Submitted metadata"}')
    expect(await backend.next('submit_metadata')).toStrictEqual({
      packet_type: 'submit_metadata',
      subject_id: '1001',
      data: metadata,
      client_timestamp: 1767225620,
      router_incoming_timestamp: wireNow(t),
      router_outgoing_timestamp: wireNow(t),
    })
  })

  it('parses metadata sent as a JSON string in a multipart body, with files and filesByFields', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    await registerAgent(t, backend, '1001')
    const form = new FormData()
    form.append('USED_AGENT_ID', '1001')
    form.append('metadata', JSON.stringify({ worker_opinion: { questions: [] } }))
    form.append('attachment', new Blob(['opinion'], { type: 'text/plain' }), 'o.txt')
    const response = await postForm(t, '/submit_metadata', form)
    expect([response.status, response.body]).toEqual([200, { status: 'Submitted metadata' }])
    const data = (await backend.next('submit_metadata')).data as Record<string, unknown>
    expect(Object.keys(data)).toEqual(['worker_opinion', 'files', 'filesByFields'])
    expect(data['worker_opinion']).toStrictEqual({ questions: [] })
    expect(data['files']).toMatchObject([
      { fieldname: 'attachment', originalname: 'o.txt', mimetype: 'text/plain', size: 7 },
    ])
    expect(Object.keys(data['filesByFields'] as object)).toEqual(['attachment'])
  })

  it('adds empty files and filesByFields to a multipart body without files, as the reference does', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    await registerAgent(t, backend, '1001')
    const form = new FormData()
    form.append('USED_AGENT_ID', '1001')
    form.append('metadata', '{"default":1}')
    const response = await postForm(t, '/submit_metadata', form)
    expect(response.status).toBe(200)
    expect((await backend.next('submit_metadata')).data).toStrictEqual({
      default: 1,
      files: [],
      filesByFields: {},
    })
  })

  it.each([
    {
      when: 'metadata is missing',
      body: { USED_AGENT_ID: '1001' },
      status: 400,
      code: 'PACKET_INVALID',
    },
    {
      when: 'metadata is a string',
      body: { USED_AGENT_ID: '1001', metadata: 'x' },
      status: 400,
      code: 'PACKET_INVALID',
    },
    {
      when: 'USED_AGENT_ID is missing',
      body: { metadata: {} },
      status: 400,
      code: 'PACKET_INVALID',
    },
    {
      when: 'the agent is unknown',
      body: { USED_AGENT_ID: '1002', metadata: {} },
      status: 403,
      code: 'AGENT_UNKNOWN',
    },
  ] as const)(
    'answers $status $code and relays nothing when $when',
    async ({ body, status, code }) => {
      await using t = await startTestRouter()
      const backend = await t.connectBackend()
      await registerAgent(t, backend, '1001')
      const response = await postJson(t, '/submit_metadata', body)
      expect([response.status, response.body]).toEqual([status, errorBody(code)])
      await expectNothingRelayed(backend)
    },
  )
})

describe('POST /log_error', () => {
  it('answers {"status":"Error log sent!"} and sends log_error with the error_data', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    await registerAgent(t, backend, '1001')
    const errorData = { error: 'TypeError: x is undefined', errorInfo: { componentStack: 'App' } }
    const response = await postJson(t, '/log_error', {
      USED_AGENT_ID: '1001',
      error_data: errorData,
      client_timestamp: 1767225630,
    })
    expect(response.status).toBe(200)
    expect(response.text).toBe('{"status":"Error log sent!"}')
    expect(await backend.next('log_error')).toStrictEqual({
      packet_type: 'log_error',
      subject_id: '1001',
      data: errorData,
      client_timestamp: 1767225630,
      router_incoming_timestamp: wireNow(t),
      router_outgoing_timestamp: wireNow(t),
    })
  })

  it('sends subject_id null for a page that never registered', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    for (const body of [{ USED_AGENT_ID: null, error_data: 'boom' }, { error_data: null }]) {
      const response = await postJson(t, '/log_error', body)
      expect([response.status, response.body]).toEqual([200, { status: 'Error log sent!' }])
      const packet = await backend.next('log_error')
      expect([packet.subject_id, packet.data]).toStrictEqual([null, body.error_data])
    }
  })

  it('answers 400 and relays nothing without error_data', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    await registerAgent(t, backend, '1001')
    const response = await postJson(t, '/log_error', { USED_AGENT_ID: '1001' })
    expect([response.status, response.body]).toEqual([400, errorBody('PACKET_INVALID')])
    await expectNothingRelayed(backend)
  })

  it('answers 403 for an agent id the backend never issued', async () => {
    await using t = await startTestRouter()
    const backend = await t.connectBackend()
    const response = await postJson(t, '/log_error', { USED_AGENT_ID: '1001', error_data: {} })
    expect([response.status, response.body]).toEqual([403, errorBody('AGENT_UNKNOWN')])
    await expectNothingRelayed(backend)
  })
})

describe('JSON-only routes', () => {
  it.each(['/request_agent', '/submit_onboarding', '/log_error'])(
    'answers a multipart body to %s with 415 and relays nothing',
    async (path) => {
      await using t = await startTestRouter()
      const backend = await t.connectBackend()
      await registerAgent(t, backend, '1001')
      const form = new FormData()
      form.append('USED_AGENT_ID', '1001')
      form.append('error_data', 'boom')
      const response = await postForm(t, path, form)
      expect([response.status, response.body]).toEqual([415, errorBody('UNSUPPORTED_MEDIA_TYPE')])
      await expectNothingRelayed(backend)
    },
  )
})
