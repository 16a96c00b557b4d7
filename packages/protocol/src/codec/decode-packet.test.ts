import { describe, expect, it } from 'vitest'
import {
  AgentToRouterPacket,
  BackendToRouterPacket,
  ErrorCode,
  decodePacket,
  parsePacket,
  SubmitTaskBody,
  LogErrorBody,
  versionMismatchText,
} from '../index.js'
import * as v from 'valibot'

describe('decodePacket', () => {
  it('accepts a backend packet with all seven envelope keys and keeps unknown keys', () => {
    const raw = {
      packet_type: 'update_status',
      subject_id: '123',
      data: { status: 'in task' },
      client_timestamp: null,
      router_incoming_timestamp: null,
      router_outgoing_timestamp: null,
      server_timestamp: 1729281727.398,
      extra: 'kept',
    }
    const result = decodePacket(raw)
    expect(result).toEqual({ ok: true, value: raw })
  })

  it('accepts a browser heartbeat without data', () => {
    const result = decodePacket(
      { packet_type: 'heartbeat', subject_id: 'a1', client_timestamp: 1.5 },
      AgentToRouterPacket,
    )
    expect(result.ok).toBe(true)
  })

  it('rejects malformed JSON with MALFORMED_JSON', () => {
    const result = parsePacket('{"packet_type":')
    expect(result).toEqual({
      ok: false,
      error: { code: ErrorCode.MALFORMED_JSON, message: 'the frame is not valid JSON' },
    })
  })

  it('rejects a missing packet_type', () => {
    const result = decodePacket({ subject_id: 'x', data: {} })
    expect(result.ok || result.error.code).toBe(ErrorCode.PACKET_INVALID)
  })

  it('rejects an unknown packet type as not allowed', () => {
    const result = decodePacket({ packet_type: 'teleport', subject_id: 'x', data: {} })
    expect(result.ok || result.error).toEqual({
      code: ErrorCode.PACKET_NOT_ALLOWED,
      message: "packet_type: unknown packet type 'teleport'",
    })
  })

  it('rejects a known type that this peer may not send', () => {
    const fromAgent = decodePacket(
      { packet_type: 'update_status', subject_id: 'x', data: { status: 'completed' } },
      AgentToRouterPacket,
    )
    expect(fromAgent.ok || fromAgent.error.code).toBe(ErrorCode.PACKET_NOT_ALLOWED)
    const fromBackend = decodePacket(
      { packet_type: 'mephisto_bound_live_update', subject_id: 'x', data: {} },
      BackendToRouterPacket,
    )
    expect(fromBackend.ok || fromBackend.error.code).toBe(ErrorCode.PACKET_NOT_ALLOWED)
  })

  it('names the failing field for a wrong type', () => {
    const result = decodePacket({
      packet_type: 'update_status',
      subject_id: 'x',
      data: { status: 'sleeping' },
    })
    expect(result.ok || result.error.code).toBe(ErrorCode.PACKET_INVALID)
    expect(result.ok || result.error.message).toMatch(/^data\.status: /)
  })

  it('rejects a live update whose data is not an object', () => {
    const result = decodePacket({
      packet_type: 'mephisto_bound_live_update',
      subject_id: 'x',
      data: 'hi',
    })
    expect(result.ok || result.error.message).toMatch(/^data: /)
  })

  it('rejects an over-long subject id', () => {
    const result = decodePacket({ packet_type: 'alive', subject_id: 'x'.repeat(300), data: {} })
    expect(result.ok || result.error.message).toMatch(/^subject_id: /)
  })
})

describe('HTTP bodies', () => {
  it('requires USED_AGENT_ID on submit_task', () => {
    const result = v.safeParse(SubmitTaskBody, { final_data: {} })
    expect(result.success).toBe(false)
  })

  it('requires final_data or final_string_data', () => {
    expect(v.safeParse(SubmitTaskBody, { USED_AGENT_ID: 'a' }).success).toBe(false)
    expect(v.safeParse(SubmitTaskBody, { USED_AGENT_ID: 'a', final_data: null }).success).toBe(true)
  })

  it('parses final_string_data and rejects invalid JSON in it', () => {
    const good = v.safeParse(SubmitTaskBody, { USED_AGENT_ID: 'a', final_string_data: '{"x":1}' })
    expect(good.success && good.output.final_string_data).toEqual({ x: 1 })
    expect(
      v.safeParse(SubmitTaskBody, { USED_AGENT_ID: 'a', final_string_data: '{' }).success,
    ).toBe(false)
  })

  it('requires error_data on log_error but allows a null agent id', () => {
    expect(v.safeParse(LogErrorBody, { USED_AGENT_ID: null }).success).toBe(false)
    expect(v.safeParse(LogErrorBody, { USED_AGENT_ID: null, error_data: { e: 1 } }).success).toBe(
      true,
    )
  })
})

describe('versionMismatchText', () => {
  it('matches the reference text', () => {
    expect(versionMismatchText('1.5.1')).toBe(
      "Package `mephisto-task` version mismatch. Expected version 2.0.4 but frontend is currently using 1.5.1. This may cause unexpected errors, be sure to update your `mephisto-task` dependency with `npm install mephisto-task@2.0.4 --save`. If this warning still persists or the version isn't found, please open an issue at https://github.com/facebookresearch/Mephisto/issues",
    )
  })
})
